"use client";
// Share and export a build or comparison report: Markdown/JSON/CSV downloads, public
// read-only links (optional expiry) and revoking them. A new link's URL is shown once:
// only its hash is stored, so the list cannot show it again.
import { useCallback, useEffect, useState } from "react";
import { formatDateTime } from "@/lib/format/date";
import type { ShareLinkDto } from "@/lib/data/share-links";
import { CopyButton } from "@/components/ui/copy-button";
import { dangerButtonClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";

export type SharePanelProps = { kind: "build" | "comparison"; id: string; canShare: boolean };

type CreatedLink = ShareLinkDto & { token: string; path: string };

// New links expire in 30 days unless "never" is chosen (DEFAULT_SHARE_DAYS on the server).
const EXPIRY_OPTIONS = [
  { value: "1", label: "Expires in 1 day" },
  { value: "7", label: "Expires in 7 days" },
  { value: "30", label: "Expires in 30 days" },
  { value: "90", label: "Expires in 90 days" },
  { value: "never", label: "Never expires" },
];

const readError = async (response: Response) => {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `request failed (${response.status})`;
  } catch {
    return `request failed (${response.status})`;
  }
};

const linkState = (link: ShareLinkDto) => (link.revokedAt ? "revoked" : link.active ? "active" : "expired");

const CreatedLinkNotice = ({ url, onDismiss }: { url: string; onDismiss: () => void }) => (
  <div className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950" data-testid="share-link-created">
    <p className="font-medium">Link created. Copy it now: it cannot be shown again.</p>
    <div className="mt-2 flex flex-wrap items-center gap-2">
      <input
        id="share-link-url"
        readOnly
        value={url}
        aria-label="Share link URL"
        onFocus={(event) => event.currentTarget.select()}
        className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
      />
      <CopyButton value={url} targetId="share-link-url" />
      <button type="button" onClick={onDismiss} className={secondaryButtonClass}>
        Done
      </button>
    </div>
  </div>
);

const ShareLinkItem = ({ link, canShare, onRevoked }: { link: ShareLinkDto; canShare: boolean; onRevoked: (link: ShareLinkDto) => void }) => {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = linkState(link);
  const revoke = async () => {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(`/api/share-links/${encodeURIComponent(link.id)}`, { method: "DELETE" });
      if (!response.ok) throw new Error(await readError(response));
      onRevoked(((await response.json()) as { shareLink: ShareLinkDto }).shareLink);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setPending(false);
      setConfirming(false);
    }
  };
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm" data-testid="share-link" data-state={state}>
      <span className="tabular-nums">created {formatDateTime(link.createdAt)}</span>
      <span className="text-slate-500">{link.expiresAt ? `expires ${formatDateTime(link.expiresAt)}` : "no expiry"}</span>
      <span
        className={`rounded-full px-2 py-0.5 text-xs font-medium ${
          state === "active" ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100" : "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-100"
        }`}
      >
        {state}
      </span>
      {canShare && state === "active" && (
        <span className="ml-auto flex gap-2">
          {confirming ? (
            <>
              <button type="button" onClick={revoke} disabled={pending} className={dangerButtonClass}>
                {pending ? "Revoking…" : "Confirm revoke"}
              </button>
              <button type="button" onClick={() => setConfirming(false)} className={secondaryButtonClass}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} className={dangerButtonClass} aria-label={`Revoke the link created ${formatDateTime(link.createdAt)}`}>
              Revoke
            </button>
          )}
        </span>
      )}
      {error && (
        <p role="alert" className="w-full text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </li>
  );
};

export const SharePanel = ({ kind, id, canShare }: SharePanelProps) => {
  const base = kind === "build" ? `/api/builds/${encodeURIComponent(id)}` : `/api/comparisons/${encodeURIComponent(id)}`;
  const listUrl = `/api/share-links?${kind === "build" ? "buildId" : "comparisonId"}=${encodeURIComponent(id)}`;
  const [links, setLinks] = useState<ShareLinkDto[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [expiry, setExpiry] = useState("30");
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const response = await fetch(listUrl, { cache: "no-store" });
      if (!response.ok) throw new Error(await readError(response));
      setLinks(((await response.json()) as { shareLinks: ShareLinkDto[] }).shareLinks);
    } catch (caught) {
      setLoadError(caught instanceof Error ? caught.message : String(caught));
    }
  }, [listUrl]);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    setCreating(true);
    setCreateError(null);
    try {
      const response = await fetch("/api/share-links", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind, [kind === "build" ? "buildId" : "comparisonId"]: id, expiresInDays: expiry === "never" ? null : Number(expiry) }),
      });
      if (!response.ok) throw new Error(await readError(response));
      const { shareLink } = (await response.json()) as { shareLink: CreatedLink };
      const { token: _token, path, ...link } = shareLink;
      setCreated(new URL(path, window.location.origin).toString());
      setLinks((current) => [link, ...(current ?? [])]);
    } catch (caught) {
      setCreateError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setCreating(false);
    }
  };

  const replaceLink = (updated: ShareLinkDto) => setLinks((current) => (current ?? []).map((link) => (link.id === updated.id ? updated : link)));

  return (
    <section aria-labelledby="share-panel-title" className="no-print space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900" data-testid="share-panel">
      <h2 id="share-panel-title" className="text-base font-semibold">
        Share and export
      </h2>

      <div>
        <h3 className="text-sm font-medium">Download the report</h3>
        <p className="mt-1 flex flex-wrap gap-2">
          <a className={secondaryButtonClass} href={`${base}/report?format=md&download=1`}>
            Markdown
          </a>
          <a className={secondaryButtonClass} href={`${base}/report?format=json&download=1`}>
            JSON
          </a>
          <a className={secondaryButtonClass} href={`${base}/report?format=csv&download=1`}>
            CSV
          </a>
          <a className={secondaryButtonClass} href={`${base}/report?format=csv&rows=layers&download=1`}>
            CSV (layers)
          </a>
        </p>
      </div>

      <div className="space-y-2">
        <h3 className="text-sm font-medium">Read-only links</h3>
        <p className="text-xs text-slate-500 dark:text-slate-400">Anyone with a link sees a snapshot of this report as it is now, without signing in.</p>
        {canShare ? (
          <div className="flex flex-wrap items-end gap-2">
            <label className="text-sm">
              <span className="sr-only">Link expiry</span>
              <select
                value={expiry}
                onChange={(event) => setExpiry(event.target.value)}
                aria-label="Link expiry"
                className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
              >
                {EXPIRY_OPTIONS.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={create} disabled={creating} className={primaryButtonClass}>
              {creating ? "Creating…" : "Create share link"}
            </button>
          </div>
        ) : (
          <p className="text-xs text-slate-500">Creating and revoking links needs the builder role.</p>
        )}
        {createError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {createError}
          </p>
        )}
        {created && <CreatedLinkNotice url={created} onDismiss={() => setCreated(null)} />}
        {loadError ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            Could not load the links: {loadError}{" "}
            <button type="button" onClick={() => void load()} className={secondaryButtonClass}>
              Retry
            </button>
          </p>
        ) : links === null ? (
          <p role="status" className="text-sm text-slate-500">
            Loading links…
          </p>
        ) : links.length === 0 ? (
          <p className="text-sm text-slate-500">No links yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {links.map((link) => (
              <ShareLinkItem key={link.id} link={link} canShare={canShare} onRevoked={replaceLink} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
};
