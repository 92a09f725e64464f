"use client";
// Build on push (issue 15): the project's push hook (its URL for GitHub, GitLab or Gitea, the
// secret shown once after create or rotate, the branch it builds), branch polling for hosts
// without webhooks, and the recent deliveries with what each one queued.
import Link from "next/link";
import { useActionState, useEffect, useState } from "react";
import type { ActionState, FormAction } from "@/lib/actions/result";
import type { PushDeliveryDto, PushHookDto, PushPollDto } from "@/lib/data/push-hooks";
import { MIN_POLL_INTERVAL_SECONDS } from "@/lib/validations/push";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { ConfirmActionForm } from "@/components/settings/confirm-action-form";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/states";
import { Table } from "@/components/ui/table";
import { inputClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";

export type PushHookActions = {
  rotate: FormAction<{ secret: string }>;
  saveBranch: FormAction;
  remove: FormAction;
  savePoll: FormAction;
  removePoll: FormAction;
};

type Props = {
  projectId: string;
  isGit: boolean;
  gitRef: string | null;
  hook: PushHookDto | null;
  poll: PushPollDto | null;
  deliveries: PushDeliveryDto[];
  actions: PushHookActions;
};

const OUTCOME_CLASS: Record<PushDeliveryDto["outcome"], string> = {
  queued: "text-emerald-700 dark:text-emerald-300",
  ignored: "text-slate-600 dark:text-slate-300",
  processing: "text-amber-700 dark:text-amber-300",
  failed: "text-red-700 dark:text-red-400",
};

const utc = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 19)} UTC` : "—");

// The browser knows the address it reached Layerboard at; the server render shows the path.
const usePushUrl = (projectId: string) => {
  const path = `/api/projects/${projectId}/push`;
  const [url, setUrl] = useState(path);
  useEffect(() => setUrl(`${window.location.origin}${path}`), [path]);
  return url;
};

const SecretOnce = ({ secret }: { secret: string }) => (
  <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950" data-testid="push-secret">
    <p className="font-medium text-amber-900 dark:text-amber-100">The secret, shown once: paste it into your git host now. It cannot be read back; rotate to get a new one.</p>
    <div className="flex flex-wrap items-center gap-2">
      <input id="push-secret-value" readOnly value={secret} className={`${inputClass} mt-0 max-w-full flex-1 font-mono text-xs`} aria-label="Push hook secret" />
      <CopyButton value={secret} targetId="push-secret-value" />
    </div>
  </div>
);

type RotateState = ReturnType<typeof useActionState<ActionState<{ secret: string }>, FormData>>;

// The state lives in HookSection: creating the hook re-renders the page with the hook, and the
// secret must survive that (it is never sent again).
const RotateForm = ({ projectId, rotate: [state, action, pending], label }: { projectId: string; rotate: RotateState; label: string }) => (
  <form action={action} className="flex flex-wrap items-center gap-2">
    <input type="hidden" name="projectId" value={projectId} />
    <SubmitButton pending={pending} pendingLabel={label.startsWith("Create") ? "Creating…" : "Rotating…"} className={label.startsWith("Create") ? primaryButtonClass : secondaryButtonClass}>
      {label}
    </SubmitButton>
    <ActionFailure state={state} />
  </form>
);

const BranchForm = ({ projectId, hook, gitRef, action: serverAction }: { projectId: string; hook: PushHookDto; gitRef: string | null; action: FormAction }) => {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="projectId" value={projectId} />
      <label className="text-sm">
        Branch to build
        <input name="branch" defaultValue={hook.branch ?? ""} placeholder={gitRef ?? "the repository's default branch"} maxLength={255} className={`${inputClass} w-56`} />
      </label>
      <SubmitButton pending={pending} pendingLabel="Saving…" className={secondaryButtonClass}>
        Save branch
      </SubmitButton>
      <ActionFailure state={state} />
      {state?.ok && <span className="text-sm text-emerald-700 dark:text-emerald-300">Saved.</span>}
    </form>
  );
};

const HookSection = ({ projectId, hook, gitRef, actions }: Omit<Props, "isGit" | "poll" | "deliveries">) => {
  const url = usePushUrl(projectId);
  const rotate = useActionState(actions.rotate, null);
  const secret = rotate[0]?.ok ? rotate[0].data.secret : null;
  if (!hook)
    return (
      <div className="space-y-3">
        <EmptyState title="No push hook yet">Create one to build every variant at each commit pushed to the branch.</EmptyState>
        <RotateForm projectId={projectId} rotate={rotate} label="Create push hook" />
      </div>
    );
  return (
    <div className="space-y-3" data-testid="push-hook">
      {secret && <SecretOnce secret={secret} />}
      <div className="space-y-1 text-sm">
        <p className="font-medium">Payload URL</p>
        <div className="flex flex-wrap items-center gap-2">
          <code id="push-url" className="break-all rounded bg-slate-100 px-2 py-1 text-xs dark:bg-slate-800">
            {url}
          </code>
          <CopyButton value={url} targetId="push-url" />
        </div>
      </div>
      <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600 dark:text-slate-300">
        <li>
          <span className="font-medium">GitHub</span>: Settings → Webhooks → Add webhook; content type <code>application/json</code>, the secret above, &quot;Just the push event&quot;.
        </li>
        <li>
          <span className="font-medium">GitLab</span>: Settings → Webhooks; the URL, the secret as &quot;Secret token&quot;, trigger &quot;Push events&quot;.
        </li>
        <li>
          <span className="font-medium">Gitea</span>: Settings → Webhooks → Gitea; POST, <code>application/json</code>, the secret, &quot;Push events&quot;.
        </li>
        <li>
          <span className="font-medium">Anything else</span>: POST <code>{"{ ref, after, deliveryId }"}</code> with <code>X-Layerboard-Signature: sha256=&lt;HMAC-SHA256 of the body&gt;</code> (docs/push.md).
        </li>
      </ul>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Secret set {utc(hook.rotatedAt)}. Pushes to other branches are recorded as ignored; a delivery id seen before queues nothing.
      </p>
      <BranchForm projectId={projectId} hook={hook} gitRef={gitRef} action={actions.saveBranch} />
      <div className="flex flex-wrap items-start gap-2">
        <RotateForm projectId={projectId} rotate={rotate} label="Rotate secret" />
        <ConfirmActionForm action={actions.remove} id={projectId} label="Delete push hook" confirmLabel="Delete" pendingLabel="Deleting…" ariaLabel="Delete the push hook" warning="Pushes will be refused (404)." />
      </div>
    </div>
  );
};

const PollSection = ({ projectId, gitRef, poll, actions }: Pick<Props, "projectId" | "gitRef" | "poll" | "actions">) => {
  const [state, action, pending] = useActionState(actions.savePoll, null);
  const fields = state && !state.ok ? state.error.fields : undefined;
  return (
    <div className="space-y-3" data-testid="push-poll">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        For a git host that cannot send webhooks: a worker reads the branch head with <code>git ls-remote</code> and queues a comparison when it moves.
      </p>
      <form action={action} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="projectId" value={projectId} />
        <label className="text-sm">
          Branch
          <input name="branch" required maxLength={255} defaultValue={poll?.branch ?? gitRef ?? "main"} className={`${inputClass} w-48`} />
        </label>
        <label className="text-sm">
          Every (seconds, ≥ {MIN_POLL_INTERVAL_SECONDS})
          <input name="intervalSeconds" type="number" required min={MIN_POLL_INTERVAL_SECONDS} max={86400} defaultValue={poll?.intervalSeconds ?? 300} className={`${inputClass} w-32`} />
        </label>
        <label className="flex items-center gap-2 pb-1.5 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={poll?.enabled ?? true} /> Enabled
        </label>
        <SubmitButton pending={pending} pendingLabel="Saving…" className={primaryButtonClass}>
          {poll ? "Save polling" : "Start polling"}
        </SubmitButton>
        {poll && <ConfirmActionForm action={actions.removePoll} id={projectId} label="Stop polling" confirmLabel="Stop" pendingLabel="Stopping…" ariaLabel="Stop polling" />}
      </form>
      {fields && (
        <ul role="alert" className="text-sm text-red-700 dark:text-red-400">
          {Object.entries(fields).map(([field, message]) => (
            <li key={field}>
              {field}: {message}
            </li>
          ))}
        </ul>
      )}
      {!fields && <ActionFailure state={state} />}
      {poll && (
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="text-slate-500 dark:text-slate-400">Head seen</dt>
          <dd className="break-all font-mono text-xs">{poll.lastSeenSha ?? "not yet"}</dd>
          <dt className="text-slate-500 dark:text-slate-400">Last checked</dt>
          <dd>{utc(poll.lastCheckedAt)}</dd>
          <dt className="text-slate-500 dark:text-slate-400">Next check</dt>
          <dd>{poll.enabled ? utc(poll.nextCheckAt) : "off"}</dd>
          {poll.lastError && (
            <>
              <dt className="text-slate-500 dark:text-slate-400">Last error</dt>
              <dd className="break-words text-red-700 dark:text-red-400">{poll.lastError}</dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
};

const DeliveryTable = ({ deliveries }: { deliveries: PushDeliveryDto[] }) =>
  deliveries.length ? (
    <Table caption="Recent push deliveries">
      <thead>
        <tr>
          <th>Received</th>
          <th>From</th>
          <th>Delivery</th>
          <th>Commit</th>
          <th>Outcome</th>
          <th>What happened</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} data-testid="push-delivery">
            <td className="whitespace-nowrap text-xs tabular-nums">{utc(d.receivedAt)}</td>
            <td className="text-xs">{d.source}</td>
            <td className="max-w-40 truncate font-mono text-xs" title={d.deliveryId}>
              {d.deliveryId}
            </td>
            <td className="font-mono text-xs" title={d.commitSha ?? undefined}>
              {d.commitSha ? d.commitSha.slice(0, 12) : "—"}
            </td>
            <td className={`text-xs font-medium ${OUTCOME_CLASS[d.outcome]}`}>{d.outcome}</td>
            <td className="min-w-48 break-words text-xs">
              {d.message}
              {d.comparisonId && (
                <>
                  {" "}
                  <Link href={`/compare?comparison=${d.comparisonId}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                    open comparison
                  </Link>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  ) : (
    <p className="text-sm text-slate-500 dark:text-slate-400">No pushes received yet.</p>
  );

export const PushHookManager = (props: Props) => {
  if (!props.isGit)
    return <EmptyState title="Build on push needs a git project">This project builds from a directory or an uploaded archive: there is no branch to follow.</EmptyState>;
  return (
    <div className="space-y-6">
      <section className="space-y-2">
        <h3 className="text-sm font-semibold">Push webhook</h3>
        <HookSection projectId={props.projectId} hook={props.hook} gitRef={props.gitRef} actions={props.actions} />
      </section>
      <section className="space-y-2">
        <h3 className="text-sm font-semibold">Polling</h3>
        <PollSection projectId={props.projectId} gitRef={props.gitRef} poll={props.poll} actions={props.actions} />
      </section>
      <section className="space-y-2">
        <h3 className="text-sm font-semibold">Recent deliveries</h3>
        <DeliveryTable deliveries={props.deliveries} />
      </section>
    </div>
  );
};
