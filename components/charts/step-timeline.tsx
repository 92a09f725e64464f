// Build steps as a horizontal bar timeline (plain divs: a list a screen reader can read),
// each bar placed by its start and end relative to the first step.
import { formatDuration } from "@/lib/format/bytes";
import type { StepDto } from "@/lib/types";

type TimedStep = StepDto & { start: number | null; end: number | null };

// A started step without an end is still running and grows until now; once the build
// has finished (failed, cancelled), it was stopped when the build ended.
const toTimed = (step: StepDto, nowMs: number, buildEndMs: number | null): TimedStep => {
  const start = step.startedAt ? Date.parse(step.startedAt) : null;
  const end = step.completedAt ? Date.parse(step.completedAt) : start !== null ? Math.max(start, buildEndMs ?? nowMs) : null;
  return { ...step, start, end };
};

const stepState = (step: TimedStep, isBuildOver: boolean) =>
  step.error ? "failed" : step.cached ? "cached" : step.completedAt ? "done" : step.startedAt ? (isBuildOver ? "stopped" : "running") : "waiting";

const barColour: Record<ReturnType<typeof stepState>, string> = {
  failed: "bg-red-500",
  cached: "bg-slate-400 dark:bg-slate-500",
  done: "bg-indigo-500 dark:bg-indigo-400",
  running: "bg-blue-500 animate-pulse",
  stopped: "bg-amber-500",
  waiting: "bg-transparent",
};

export const StepTimeline = ({ steps, nowMs, finishedAt = null }: { steps: StepDto[]; nowMs: number; finishedAt?: string | null }) => {
  const buildEndMs = finishedAt ? Date.parse(finishedAt) : null;
  const timed = steps.map((step) => toTimed(step, nowMs, buildEndMs));
  const starts = timed.flatMap((s) => (s.start !== null ? [s.start] : []));
  const ends = timed.flatMap((s) => (s.end !== null ? [s.end] : []));
  const origin = starts.length ? Math.min(...starts) : 0;
  // At least one second wide so instant (cached) builds still draw visible bars.
  const span = Math.max(1000, (ends.length ? Math.max(...ends) : origin) - origin);

  return (
    <ol className="space-y-1 text-sm" aria-label="Build steps">
      {timed.map((step) => {
        const state = stepState(step, buildEndMs !== null);
        const left = step.start !== null ? ((step.start - origin) / span) * 100 : 0;
        const width = step.start !== null && step.end !== null ? Math.max(0.5, ((step.end - step.start) / span) * 100) : 0;
        const duration = step.start !== null && step.end !== null ? step.end - step.start : null;
        return (
          <li key={step.digest} data-step-state={state} className="grid grid-cols-1 gap-x-3 gap-y-0.5 py-1 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)_13rem]">
            <div className="min-w-0">
              <p className={`truncate font-mono text-xs ${step.name.startsWith("[internal]") ? "text-slate-500 dark:text-slate-400" : ""}`} title={step.name}>
                {step.name}
              </p>
              {step.error && <p className="mt-0.5 whitespace-pre-wrap break-words text-xs text-red-700 dark:text-red-300">{step.error}</p>}
            </div>
            <div className="relative h-4 self-center rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
              {width > 0 && <div className={`absolute inset-y-0 rounded ${barColour[state]}`} style={{ left: `${Math.min(left, 99.5)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.5))}%` }} />}
            </div>
            <div className="flex items-center gap-2 text-xs tabular-nums text-slate-600 dark:text-slate-300 md:justify-end">
              {step.stage && <span className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">{step.stage}</span>}
              {step.cached && <span className="rounded bg-slate-200 px-1.5 py-0.5 font-medium text-slate-700 dark:bg-slate-700 dark:text-slate-100">cached</span>}
              {state === "running" && <span className="text-blue-700 dark:text-blue-300">running</span>}
              {state === "stopped" && <span className="text-amber-700 dark:text-amber-300">stopped</span>}
              {state === "failed" && <span className="font-medium text-red-700 dark:text-red-300">failed</span>}
              <span className="w-16 text-right">{state === "waiting" ? "—" : formatDuration(duration)}</span>
            </div>
          </li>
        );
      })}
    </ol>
  );
};
