// A finished build's way on: what went wrong in one sentence (lib/builds/next-step.ts) and
// Re-run, which queues the same variant with this build's frozen settings and context revision.
import type { FormAction } from "@/lib/actions/result";
import type { NextStep } from "@/lib/builds/next-step";
import { ActionButton } from "@/components/projects/action-button";
import { shortId } from "@/lib/format/bytes";

export type RerunSourceLabel = { kind: "commit" | "archive" | "directory"; revision: string | null };

const describeSource = ({ kind, revision }: RerunSourceLabel) =>
  kind === "commit"
    ? `the same settings at commit ${shortId(revision, 12)}`
    : kind === "archive"
      ? `the same settings and the same uploaded archive${revision ? ` (${shortId(revision.replace(/^sha256:/, ""), 12)})` : ""}`
      : "the same settings, from the directory as it is now (a directory context keeps no copy)";

type Props = { buildId: string; nextStep: NextStep | null; source: RerunSourceLabel; rerunAction?: FormAction<string> };

export const RerunPanel = ({ buildId, nextStep, source, rerunAction }: Props) => (
  <section
    data-testid="rerun-panel"
    className={`flex flex-wrap items-center gap-3 rounded-lg border p-3 text-sm ${
      nextStep ? "border-amber-300 bg-amber-50 dark:border-amber-900 dark:bg-amber-950" : "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    }`}
  >
    <div className="min-w-0 flex-1">
      {nextStep ? (
        <>
          <p className="font-semibold break-words" data-testid="next-step">
            {nextStep.title}
          </p>
          <p className="mt-0.5 text-slate-700 dark:text-slate-300">
            {nextStep.action}
            {nextStep.stepPosition !== null && (
              <>
                {" "}
                <a href="#build-log" className="text-indigo-700 underline dark:text-indigo-300">
                  Go to the log
                </a>
              </>
            )}
          </p>
        </>
      ) : (
        <p className="text-slate-600 dark:text-slate-300">Re-run builds this variant again with {describeSource(source)}.</p>
      )}
      {nextStep && <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">Re-run uses {describeSource(source)}.</p>}
    </div>
    {rerunAction && <ActionButton action={rerunAction} fields={{ id: buildId }} label="Re-run" pendingLabel="Queueing…" variant={nextStep ? "primary" : "secondary"} ariaLabel="Re-run this build" />}
  </section>
);
