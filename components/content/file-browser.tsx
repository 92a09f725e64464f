"use client";
// The final filesystem as a virtualised list (only the visible rows are in the DOM), read a
// page at a time from GET /api/builds/:id/content: the whole tree in tree order, or the paths
// containing the search text. Each row: path, size, layer (base or own), added or modified in
// that layer, owning package. "Show deleted" lists instead the paths higher layers deleted,
// with the layer that deleted them (lib/content/changes.ts states the rules).
import { useCallback, useEffect, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { FileRow } from "@/lib/content/tree";
import type { DeletedRow } from "@/lib/content/changes";
import { formatBytes } from "@/lib/format/bytes";
import { inputClass } from "@/components/ui/styles";
import { layerInstruction, layerNumber, type LayerRef } from "@/components/content/layer-ref";

type Row = (FileRow & { show?: undefined }) | (DeletedRow & { show: "deleted" });
type Page = { rows: Row[]; total: number; nextCursor: string | null; deletedOmitted?: number };

const PAGE_SIZE = 200;
const ROW_HEIGHT = 34;
const SEARCH_DELAY_MS = 250;

const depthOf = (path: string) => path.split("/").length - 2;

const fetchPage = async (buildId: string, query: string, deleted: boolean, cursor: string | null, signal: AbortSignal): Promise<Page> => {
  const params = new URLSearchParams({ path: "/", limit: String(PAGE_SIZE) });
  if (deleted) params.set("show", "deleted");
  if (query) params.set("q", query);
  else params.set("depth", "64");
  if (cursor) params.set("cursor", cursor);
  const response = await fetch(`/api/builds/${encodeURIComponent(buildId)}/content?${params}`, { signal });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  const page = body.content as Page;
  return deleted ? { ...page, rows: page.rows.map((row) => ({ ...row, show: "deleted" }) as Row) } : page;
};

const CHANGE_STYLE: Record<string, string> = {
  added: "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  modified: "bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  deleted: "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200",
};

const ChangeBadge = ({ change }: { change: "added" | "modified" | "deleted" }) => (
  <span className={`inline-block rounded px-1.5 py-0.5 text-[10px] font-medium uppercase tracking-wide ${CHANGE_STYLE[change]}`}>{change}</span>
);

const GRID = "grid-cols-[1fr_5rem_4.75rem] sm:grid-cols-[1fr_5.5rem_5.5rem_7rem_10rem]";

const KIND_LABEL: Record<string, string> = { dir: "dir", file: "", symlink: "link", hardlink: "hard link", other: "special" };

export const FileBrowser = ({ buildId, layers }: { buildId: string; layers: LayerRef[] }) => {
  const [input, setInput] = useState("");
  const [query, setQuery] = useState("");
  const [showDeleted, setShowDeleted] = useState(false);
  const [omitted, setOmitted] = useState(0);
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The query the rows shown belong to (tests and screen readers wait for it, not for the input).
  const [loadedQuery, setLoadedQuery] = useState<string | null>(null);
  const [loadedShow, setLoadedShow] = useState<"present" | "deleted" | null>(null);
  const abort = useRef<AbortController | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(input.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [input]);

  const load = useCallback(
    async (fresh: boolean, after: string | null) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setLoading(true);
      setError(null);
      try {
        const page = await fetchPage(buildId, query, showDeleted, after, controller.signal);
        setRows((current) => (fresh ? page.rows : [...current, ...page.rows]));
        setOmitted(page.deletedOmitted ?? 0);
        setTotal(page.total);
        setCursor(page.nextCursor);
        setLoadedQuery(query);
        setLoadedShow(showDeleted ? "deleted" : "present");
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (abort.current === controller) setLoading(false);
      }
    },
    [buildId, query, showDeleted],
  );

  useEffect(() => {
    setRows([]);
    setTotal(null);
    setCursor(null);
    setLoadedQuery(null);
    setLoadedShow(null);
    scrollRef.current?.scrollTo({ top: 0 });
    void load(true, null);
    return () => abort.current?.abort();
  }, [load]);

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (cursor && !loading && !error && lastIndex >= rows.length - 20) void load(false, cursor);
  }, [cursor, loading, error, lastIndex, rows.length, load]);

  return (
    <div className="space-y-2" data-testid="file-browser" data-query={query} data-loaded-query={loadedQuery ?? undefined} data-total={total ?? undefined} data-loading={loading} data-show={showDeleted ? "deleted" : "present"} data-loaded-show={loadedShow ?? undefined}>
      <label className="block text-sm">
        <span className="text-xs text-slate-500 dark:text-slate-400">Search paths</span>
        <input
          type="search"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder="e.g. /usr/include or libexpat"
          maxLength={200}
          className={inputClass}
          aria-describedby="file-browser-count"
        />
      </label>
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" checked={showDeleted} onChange={(e) => setShowDeleted(e.target.checked)} data-testid="file-browser-show-deleted" />
        <span>Show deleted paths (removed by a higher layer)</span>
      </label>
      <p id="file-browser-count" role="status" aria-live="polite" className="text-xs text-slate-600 dark:text-slate-300" data-testid="file-browser-count">
        {total === null
          ? "Loading…"
          : query
            ? `${total.toLocaleString("en")} ${showDeleted ? "deleted " : ""}path${total === 1 ? "" : "s"} contain “${query}”`
            : `${total.toLocaleString("en")} ${showDeleted ? "deleted paths" : "entries"}`}
        {total !== null && rows.length < total ? ` · ${rows.length.toLocaleString("en")} loaded` : ""}
        {omitted > 0 ? ` · ${omitted.toLocaleString("en")} more deleted paths not listed (cap)` : ""}
      </p>
      {error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {error}{" "}
          <button type="button" className="underline" onClick={() => void load(rows.length === 0, rows.length ? cursor : null)}>
            Retry
          </button>
        </p>
      )}
      <div role="table" aria-label={showDeleted ? "Paths deleted by a higher layer" : "Files in the final image"} aria-rowcount={total ?? undefined} className="rounded-lg border border-slate-200 text-sm dark:border-slate-800">
        <div role="row" className={`grid ${GRID} gap-2 border-b border-slate-200 px-2 py-1.5 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400`}>
          <span role="columnheader">Path</span>
          <span role="columnheader" className="whitespace-nowrap text-right">Size</span>
          <span role="columnheader">Change</span>
          <span role="columnheader" className="hidden sm:block">{showDeleted ? "Deleted by" : "Layer"}</span>
          <span role="columnheader" className="hidden sm:block">Package</span>
        </div>
        <div ref={scrollRef} className="h-96 overflow-auto" tabIndex={0} aria-label="File list, scroll for more">
          {rows.length === 0 && !loading && total === 0 ? (
            <p className="p-4 text-center text-sm text-slate-500" data-testid="file-browser-empty">
              {showDeleted
                ? query
                  ? `No deleted path contains “${query}”.`
                  : "No layer deleted anything a lower layer had."
                : query
                  ? `No path contains “${query}”.`
                  : "The image has no files."}
            </p>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {items.map((item) => {
                const row = rows[item.index];
                const indent = query ? 0 : Math.min(depthOf(row.path), 12);
                const change = row.show === "deleted" ? "deleted" : row.change;
                const size = row.show === "deleted" ? row.bytes : row.size;
                const shownLayer = row.show === "deleted" ? row.byLayer : row.layer;
                const layerTitle =
                  row.show === "deleted"
                    ? `deleted by layer ${layerNumber(layers, row.byLayer)} (${layerInstruction(layers, row.byLayer)}); it came from ${row.isFromBase ? "base" : "own"} layer ${layerNumber(layers, row.layer)}${row.kind === "dir" ? `, with ${row.entries} entries under it` : ""}`
                    : layerInstruction(layers, row.layer);
                return (
                  <div
                    key={row.path}
                    role="row"
                    aria-rowindex={item.index + 1}
                    data-testid="file-row"
                    data-path={row.path}
                    data-kind={row.kind}
                    data-change={change}
                    data-layer={shownLayer}
                    className={`absolute left-0 top-0 grid w-full ${GRID} items-center gap-2 border-b border-slate-100 px-2 dark:border-slate-800`}
                    style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                  >
                    <span role="cell" className="truncate font-mono text-xs" style={{ paddingLeft: `${indent * 0.75}rem` }} title={row.show !== "deleted" && row.linkTarget ? `${row.path} → ${row.linkTarget}` : row.path}>
                      {query ? row.path : row.path.slice(row.path.lastIndexOf("/") + 1) || "/"}
                      {row.kind === "dir" && "/"}
                      {row.show !== "deleted" && row.linkTarget && <span className="text-slate-500"> → {row.linkTarget}</span>}
                      {KIND_LABEL[row.kind] && row.kind !== "dir" && <span className="ml-1 text-[10px] uppercase text-slate-500">{KIND_LABEL[row.kind]}</span>}
                    </span>
                    <span role="cell" className="text-right text-xs tabular-nums">
                      {row.kind === "file" || row.kind === "dir" ? formatBytes(size) : "—"}
                    </span>
                    <span role="cell" title={layerTitle}>
                      <ChangeBadge change={change} />
                    </span>
                    <span role="cell" className="hidden truncate text-xs sm:block" title={layerTitle}>
                      {row.show === "deleted" ? (
                        <span className="font-medium text-red-700 dark:text-red-300">layer {layerNumber(layers, row.byLayer)}</span>
                      ) : (
                        <span className={row.isFromBase ? "text-slate-500 dark:text-slate-400" : "font-medium text-indigo-700 dark:text-indigo-300"}>
                          {row.isFromBase ? "base" : "own"} {layerNumber(layers, row.layer)}
                        </span>
                      )}
                    </span>
                    <span role="cell" className="hidden truncate font-mono text-xs text-slate-600 sm:block dark:text-slate-300">
                      {row.owner ?? ""}
                    </span>
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </div>
  );
};
