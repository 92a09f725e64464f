// Steps done out of steps known (lib: progress-summary.ts). BuildKit discovers steps as it
// goes, so the total can grow; a queued build shows its place in the queue and an empty bar;
// a builder-pattern build shows its two engine builds as two halves of the bar.
import type { BuildStatus, StepDto } from "@/lib/types";
import { summariseProgress } from "@/components/builds/progress-summary";

export const BuildProgress = ({
  status,
  stepsDone,
  stepsTotal,
  cachedSteps,
  steps = [],
  queuePosition = null,
  isBuilderPattern = false,
}: {
  status: BuildStatus;
  stepsDone: number;
  stepsTotal: number;
  cachedSteps: number;
  steps?: StepDto[];
  queuePosition?: number | null;
  isBuilderPattern?: boolean;
}) => {
  const summary = summariseProgress({ status, stepsDone, stepsTotal, steps, queuePosition, isBuilderPattern });
  const colour = status === "FAILED" || status === "INTERRUPTED" ? "bg-red-500" : status === "CANCELLED" ? "bg-amber-500" : status === "SUCCEEDED" ? "bg-emerald-500" : "bg-blue-500";
  const done = summary.parts.reduce((sum, part) => sum + part.done, 0);
  const total = summary.parts.reduce((sum, part) => sum + part.total, 0);
  return (
    <div data-testid="build-progress" data-queue-position={queuePosition ?? undefined} data-empty={summary.isEmpty || undefined}>
      <div className="mb-1 flex justify-between gap-2 text-xs text-slate-600 dark:text-slate-300">
        <span id="build-progress-label">{summary.label}</span>
        {cachedSteps > 0 && <span className="shrink-0">{cachedSteps} cached</span>}
      </div>
      <div
        role="progressbar"
        aria-labelledby="build-progress-label"
        aria-valuemin={0}
        aria-valuemax={total > 0 ? total : undefined}
        aria-valuenow={total > 0 ? done : status === "QUEUED" ? 0 : undefined}
        aria-valuetext={summary.label}
        className="flex h-2 gap-0.5 overflow-hidden rounded-full"
      >
        {summary.parts.map((part) => (
          <div key={part.label} className="h-full flex-1 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" title={summary.parts.length > 1 ? part.label : undefined}>
            <div data-testid="build-progress-fill" className={`h-full rounded-full transition-[width] duration-300 ${colour}`} style={{ width: `${part.percent}%` }} />
          </div>
        ))}
      </div>
      {summary.parts.length > 1 && (
        <div className="mt-1 flex text-[11px] text-slate-500 dark:text-slate-400">
          {summary.parts.map((part) => (
            <span key={part.label} className="flex-1">
              {part.label}
            </span>
          ))}
        </div>
      )}
    </div>
  );
};
