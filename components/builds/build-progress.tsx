// Steps done out of steps known. BuildKit discovers steps as it goes, so the total can grow.
import type { BuildStatus } from "@/lib/types";

export const BuildProgress = ({ status, stepsDone, stepsTotal, cachedSteps }: { status: BuildStatus; stepsDone: number; stepsTotal: number; cachedSteps: number }) => {
  const isKnown = stepsTotal > 0;
  const percent = isKnown ? Math.min(100, Math.round((stepsDone / stepsTotal) * 100)) : 0;
  const label = isKnown ? `${stepsDone} of ${stepsTotal} steps` : status === "QUEUED" ? "Waiting for a worker" : "No steps yet";
  const colour = status === "FAILED" || status === "INTERRUPTED" ? "bg-red-500" : status === "CANCELLED" ? "bg-amber-500" : status === "SUCCEEDED" ? "bg-emerald-500" : "bg-blue-500";
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-slate-600 dark:text-slate-300">
        <span id="build-progress-label">{label}</span>
        {cachedSteps > 0 && <span>{cachedSteps} cached</span>}
      </div>
      <div
        role="progressbar"
        aria-labelledby="build-progress-label"
        aria-valuemin={0}
        aria-valuemax={isKnown ? stepsTotal : undefined}
        aria-valuenow={isKnown ? stepsDone : undefined}
        aria-valuetext={label}
        className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div className={`h-full rounded-full transition-[width] duration-300 ${colour} ${!isKnown && status === "QUEUED" ? "w-1/4 animate-pulse" : ""}`} style={isKnown ? { width: `${percent}%` } : undefined} />
      </div>
    </div>
  );
};
