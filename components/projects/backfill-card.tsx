"use client";
// A backfill's progress (issue 15): bar, done / queued / failed, pause / resume / cancel, and
// the items that failed with their message. While it is active the page refreshes itself.
import { useActionState, useEffect } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormAction } from "@/lib/actions/result";
import type { BackfillDetailDto } from "@/lib/data/backfills";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { dangerButtonClass, secondaryButtonClass } from "@/components/ui/styles";

const REFRESH_MS = 2000;
const ACTIVE = ["PLANNING", "RUNNING", "PAUSED"];
const STATUS_TEXT: Record<string, string> = {
  PLANNING: "listing commits…",
  RUNNING: "running",
  PAUSED: "paused",
  CANCELLED: "cancelled",
  DONE: "done",
  FAILED: "failed",
};

type Props = { backfill: BackfillDetailDto; projectId: string; action: FormAction<string> | null };

const ChangeButton = ({ backfill, projectId, action, value, label, danger }: { backfill: BackfillDetailDto; projectId: string; action: FormAction<string>; value: string; label: string; danger?: boolean }) => {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="inline-flex flex-col gap-1">
      <input type="hidden" name="backfillId" value={backfill.id} />
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="action" value={value} />
      <SubmitButton pending={pending} pendingLabel="…" className={danger ? dangerButtonClass : secondaryButtonClass}>
        {label}
      </SubmitButton>
      <ActionFailure state={state} className="text-xs text-red-700 dark:text-red-300" />
    </form>
  );
};

export const BackfillCard = ({ backfill, projectId, action }: Props) => {
  const router = useRouter();
  const active = ACTIVE.includes(backfill.status);
  useEffect(() => {
    if (backfill.status !== "PLANNING" && backfill.status !== "RUNNING") return;
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [backfill.status, router]);
  const { progress } = backfill;
  const pct = progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  const failedItems = backfill.items.filter((i) => i.status === "FAILED");
  return (
    <div className="space-y-2" data-testid="backfill-card" data-status={backfill.status} data-backfill-id={backfill.id}>
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <p>
          <span className="font-medium">Last {backfill.count} commits of </span>
          <span className="font-mono">{backfill.branch}</span>
          <span className="text-slate-500 dark:text-slate-400"> · {STATUS_TEXT[backfill.status]}</span>
        </p>
        {action && active && (
          <div className="flex gap-2">
            {backfill.status === "PAUSED" ? (
              <ChangeButton backfill={backfill} projectId={projectId} action={action} value="resume" label="Resume" />
            ) : (
              <ChangeButton backfill={backfill} projectId={projectId} action={action} value="pause" label="Pause" />
            )}
            <ChangeButton backfill={backfill} projectId={projectId} action={action} value="cancel" label="Cancel" danger />
          </div>
        )}
      </div>
      {backfill.error && (
        <p role="alert" className="break-words text-sm text-red-700 dark:text-red-300" data-testid="backfill-error">
          {backfill.error}
        </p>
      )}
      {progress.total > 0 && (
        <>
          <div className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done} aria-label="Backfill progress">
            <div className="h-full bg-indigo-600 dark:bg-indigo-400" style={{ width: `${pct}%` }} />
          </div>
          <p className="text-xs tabular-nums text-slate-600 dark:text-slate-300" data-testid="backfill-counts">
            {progress.done} of {progress.total} done ({progress.built} built, {progress.skipped} skipped) · {progress.queued} queued ({progress.building} building) · {progress.failed} failed
            {progress.cancelled ? ` · ${progress.cancelled} cancelled` : ""}
          </p>
        </>
      )}
      {failedItems.length > 0 && (
        <ul className="space-y-1 text-xs" data-testid="backfill-failures">
          {failedItems.slice(0, 10).map((item) => (
            <li key={item.id} className="break-words">
              <span className="font-mono">{item.sha.slice(0, 7)}</span> {item.subject && <span>{item.subject} </span>}
              <span className="text-slate-500">({item.variantName})</span>: <span className="text-red-700 dark:text-red-300">{item.error ?? "failed"}</span>
              {item.buildId && (
                <>
                  {" "}
                  <Link href={`/builds/${item.buildId}`} className="text-indigo-700 underline dark:text-indigo-300">
                    build
                  </Link>
                </>
              )}
            </li>
          ))}
          {failedItems.length > 10 && <li className="text-slate-500">and {failedItems.length - 10} more</li>}
        </ul>
      )}
    </div>
  );
};
