// Build steps as a horizontal bar timeline (plain divs: a list a screen reader can read),
// each bar placed by its start and end on one axis from the build's start. Issue 13: the
// pipeline's phases outside BuildKit (context, analysis, copy-out, smoke run) are rows of
// their own, and the BuildKit steps sit under the engine build they belong to (builder
// pattern: build image, then runtime image), so the bars add up to the build's time.
import { formatDuration } from "@/lib/format/bytes";
import { ENGINE_PHASES, toPhaseSegments, type PhaseSegment } from "@/lib/builds/build-phases";
import { BUILD_IMAGE } from "@/lib/layer-images";
import type { BuildPhaseDto, StepDto } from "@/lib/types";

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

type Axis = { origin: number; span: number };

const Bar = ({ start, end, axis, colour }: { start: number | null; end: number | null; axis: Axis; colour: string }) => {
  const left = start !== null ? ((start - axis.origin) / axis.span) * 100 : 0;
  const width = start !== null && end !== null ? Math.max(0.5, ((end - start) / axis.span) * 100) : 0;
  return (
    <div className="relative h-4 self-center rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
      {width > 0 && <div className={`absolute inset-y-0 rounded ${colour}`} style={{ left: `${Math.min(left, 99.5)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.5))}%` }} />}
    </div>
  );
};

const rowGrid = "grid grid-cols-1 gap-x-3 gap-y-0.5 py-1 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)_13rem]";

const StepRow = ({ step, axis, isBuildOver, indent, onSelect, hasLines }: { step: TimedStep; axis: Axis; isBuildOver: boolean; indent: boolean; onSelect?: (digest: string) => void; hasLines: boolean }) => {
  const state = stepState(step, isBuildOver);
  const duration = step.start !== null && step.end !== null ? step.end - step.start : null;
  const nameClass = `block max-w-full truncate text-left font-mono text-xs ${step.name.startsWith("[internal]") ? "text-slate-500 dark:text-slate-400" : ""}`;
  return (
    <li data-step-state={state} data-step={step.digest} className={`${rowGrid} ${indent ? "md:pl-4" : ""}`}>
      <div className="min-w-0">
        {onSelect && hasLines ? (
          <button type="button" onClick={() => onSelect(step.digest)} className={`${nameClass} hover:text-indigo-700 hover:underline dark:hover:text-indigo-300`} title={`${step.name} — show its log lines`} data-testid="timeline-step-link">
            {step.name}
          </button>
        ) : (
          <p className={nameClass} title={step.name}>
            {step.name}
          </p>
        )}
        {step.error && <p className="mt-0.5 whitespace-pre-wrap break-words text-xs text-red-700 dark:text-red-300">{step.error}</p>}
      </div>
      <Bar start={step.start} end={step.end} axis={axis} colour={barColour[state]} />
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
};

const PhaseRow = ({ segment, axis }: { segment: PhaseSegment; axis: Axis }) => (
  <li data-testid="timeline-phase" data-phase={segment.name} className={`${rowGrid} border-t border-slate-100 first:border-t-0 dark:border-slate-800`}>
    <p className={`truncate text-xs font-semibold ${segment.gap ? "font-normal italic text-slate-500 dark:text-slate-400" : "text-slate-800 dark:text-slate-100"}`} title={segment.label}>
      {segment.label}
    </p>
    <Bar start={segment.startMs} end={segment.endMs} axis={axis} colour={segment.gap ? "bg-slate-300 dark:bg-slate-600" : segment.open ? "bg-teal-500 animate-pulse" : "bg-teal-500 dark:bg-teal-400"} />
    <div className="flex items-center gap-2 text-xs tabular-nums text-slate-600 dark:text-slate-300 md:justify-end">
      {segment.open && <span className="text-blue-700 dark:text-blue-300">running</span>}
      <span className="w-16 text-right font-medium">{formatDuration(segment.endMs - segment.startMs)}</span>
    </div>
  </li>
);

// Which steps an engine phase explains: the builder pattern's two builds by their image.
const stepsOfPhase = (phase: string, steps: TimedStep[]) =>
  phase === "build-image" ? steps.filter((s) => s.image === BUILD_IMAGE) : phase === "runtime-image" ? steps.filter((s) => s.image !== BUILD_IMAGE) : steps;

export const StepTimeline = ({
  steps,
  nowMs,
  finishedAt = null,
  startedAt = null,
  phases = [],
  onSelectStep,
  stepsWithLines,
}: {
  steps: StepDto[];
  nowMs: number;
  finishedAt?: string | null;
  startedAt?: string | null;
  phases?: BuildPhaseDto[];
  /** Cross-link to the log: a click on a step name shows its lines. */
  onSelectStep?: (digest: string) => void;
  stepsWithLines?: ReadonlySet<string>;
}) => {
  const buildEndMs = finishedAt ? Date.parse(finishedAt) : null;
  const timed = steps.map((step) => toTimed(step, nowMs, buildEndMs));
  const segments = toPhaseSegments(phases, { startedAt, finishedAt }, nowMs);
  const starts = [...timed.flatMap((s) => (s.start !== null ? [s.start] : [])), ...segments.map((s) => s.startMs)];
  const ends = [...timed.flatMap((s) => (s.end !== null ? [s.end] : [])), ...segments.map((s) => s.endMs)];
  const origin = starts.length ? Math.min(...starts) : 0;
  // At least one second wide so instant (cached) builds still draw visible bars.
  const axis: Axis = { origin, span: Math.max(1000, (ends.length ? Math.max(...ends) : origin) - origin) };
  const isBuildOver = buildEndMs !== null;
  const stepRow = (step: TimedStep, indent: boolean) => (
    <StepRow key={step.digest} step={step} axis={axis} isBuildOver={isBuildOver} indent={indent} onSelect={onSelectStep} hasLines={stepsWithLines?.has(step.digest) ?? false} />
  );

  // Builds recorded before phases existed: the steps alone, as before.
  const enginePhases = segments.filter((s) => ENGINE_PHASES.has(s.name));
  if (!enginePhases.length) {
    return (
      <ol className="space-y-1 text-sm" aria-label="Build steps">
        {segments.map((segment, i) => <PhaseRow key={`${segment.name}-${i}`} segment={segment} axis={axis} />)}
        {timed.map((step) => stepRow(step, false))}
      </ol>
    );
  }

  const isBuilderPattern = enginePhases.some((s) => s.name === "build-image");
  // Steps of an image whose engine phase was never reached (it failed first) still show, last.
  const shown = new Set<string>();
  return (
    <ol className="space-y-1 text-sm" aria-label="Build phases and steps">
      {segments.map((segment, i) => {
        if (!ENGINE_PHASES.has(segment.name)) return <PhaseRow key={`${segment.name}-${i}`} segment={segment} axis={axis} />;
        const own = (isBuilderPattern ? stepsOfPhase(segment.name, timed) : timed).filter((step) => !shown.has(step.digest));
        for (const step of own) shown.add(step.digest);
        return (
          <li key={`${segment.name}-${i}`} className="list-none" data-testid="timeline-engine-phase" data-phase={segment.name}>
            <ol aria-label={segment.label}>
              <PhaseRow segment={segment} axis={axis} />
              {own.map((step) => stepRow(step, true))}
            </ol>
          </li>
        );
      })}
      {timed.filter((step) => !shown.has(step.digest)).map((step) => stepRow(step, false))}
    </ol>
  );
};
