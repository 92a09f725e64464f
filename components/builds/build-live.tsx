"use client";
// The live part of the build page: progress, step timeline and log, following the
// build over SSE while it is queued or running (and replaying the stored log after).
import { useCallback, useEffect, useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { StepTimeline } from "@/components/charts/step-timeline";
import { BuildProgress } from "@/components/builds/build-progress";
import { CancelBuildButton } from "@/components/builds/cancel-build-button";
import { LogPane, type LogJump } from "@/components/builds/log-pane";
import { useBuildEvents, type Connection, type LiveBuildState } from "@/components/builds/use-build-events";
import { isFinished, type BuildPhaseDto } from "@/lib/types";

const connectionText: Record<Connection, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  ended: "complete",
  failed: "live updates unavailable; reload the page",
};

export const BuildLive = ({
  buildId,
  initial,
  canCancel,
  renderedAtMs,
  logRemovedNote,
  isBuilderPattern = false,
  afterPhases = [],
}: {
  buildId: string;
  initial: LiveBuildState;
  canCancel: boolean;
  renderedAtMs: number;
  /** Two engine builds (build image, runtime image): the progress shows them as two phases. */
  isBuilderPattern?: boolean;
  /** Phases after the build's end that the live state does not carry (the content analysis). */
  afterPhases?: BuildPhaseDto[];
  /** Retention deleted the log lines: said instead of "This build wrote no log." */
  logRemovedNote?: string;
}) => {
  const { state, chunks, lineCount, connection, streamError } = useBuildEvents(buildId, initial);
  // The server's render time first, so the first client render matches the HTML.
  const [nowMs, setNowMs] = useState(renderedAtMs);
  const isActive = !isFinished(state.status);
  const lines = useMemo(() => chunks.flat(), [chunks]);
  const stepsWithLines = useMemo(() => new Set(lines.flatMap((line) => (line.step ? [line.step] : []))), [lines]);
  const [jump, setJump] = useState<LogJump | null>(null);
  const onSelectStep = useCallback((stepDigest: string) => setJump((previous) => ({ stepDigest, nonce: (previous?.nonce ?? 0) + 1 })), []);

  useEffect(() => {
    if (state.status !== "RUNNING") return;
    setNowMs(Date.now());
    const timer = setInterval(() => setNowMs(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [state.status]);

  return (
    <div className="space-y-6" data-testid="build-live" data-status={state.status}>
      <Card
        title="Progress"
        actions={
          <div className="flex items-center gap-3">
            <span className="text-xs text-slate-500 dark:text-slate-400" role="status" aria-live="polite">
              <StatusBadge status={state.status} /> <span className="ml-1">{connectionText[connection]}</span>
            </span>
            {isActive && canCancel && <CancelBuildButton buildId={buildId} />}
          </div>
        }
      >
        <BuildProgress
          status={state.status}
          stepsDone={state.stepsDone}
          stepsTotal={state.stepsTotal}
          cachedSteps={state.cachedSteps}
          steps={state.steps}
          queuePosition={state.queuePosition}
          isBuilderPattern={isBuilderPattern}
        />
        {streamError && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">Live updates failed: {streamError}</p>}
        <div className="mt-4">
          {state.steps.length === 0 && state.phases.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">{state.status === "QUEUED" ? "Steps appear when a worker starts the build." : "This build recorded no steps."}</p>
          ) : (
            <StepTimeline
              steps={state.steps}
              nowMs={nowMs}
              finishedAt={isActive ? null : state.finishedAt}
              startedAt={state.startedAt}
              phases={afterPhases.length ? [...state.phases, ...afterPhases] : state.phases}
              onSelectStep={onSelectStep}
              stepsWithLines={stepsWithLines}
            />
          )}
        </div>
      </Card>
      <Card title="Log" actions={<span className="text-xs tabular-nums text-slate-500 dark:text-slate-400">{lineCount} lines</span>}>
        <LogPane
          buildId={buildId}
          lines={lines}
          steps={state.steps}
          status={state.status}
          isLoaded={connection === "ended"}
          jump={jump}
          lineCount={lineCount}
          truncated={state.logTruncated}
          emptyText={connection === "ended" ? (logRemovedNote ?? "This build wrote no log.") : state.status === "QUEUED" ? "Waiting for a worker to pick up the build…" : "Loading the log…"}
        />
      </Card>
    </div>
  );
};
