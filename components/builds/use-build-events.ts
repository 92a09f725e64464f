"use client";
// Follows one build over SSE: log lines (deduplicated by seq across reconnects), state
// and the end. EventSource resends Last-Event-ID on reconnect, so the server resumes
// after the last line we saw; the seq check covers any overlap.
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { isFinished, type BuildPhaseDto, type BuildStatus, type StepDto } from "@/lib/types";
import { appendLogLines, parseLogLine, type ParsedLogLine } from "@/components/builds/log-lines";
import { logFlushDelay } from "@/lib/builds/log-flush-delay";
import { endEventSchema, errorEventSchema, logEventSchema, parseEventData, stateEventSchema } from "@/components/builds/build-event-schemas";

export type LiveBuildState = {
  status: BuildStatus;
  stepsDone: number;
  stepsTotal: number;
  cachedSteps: number;
  logTruncated: boolean;
  finishedAt: string | null;
  steps: StepDto[];
  /** Issue 13: when the build started, its phases outside BuildKit steps, and (queued) its place in the queue. */
  startedAt: string | null;
  phases: BuildPhaseDto[];
  queuePosition: number | null;
};

export type Connection = "connecting" | "live" | "reconnecting" | "ended" | "failed";

// Lines arriving in a burst (a replay sends hundreds at once) are rendered together (logFlushDelay).
const FLUSH_MS = 60;

export const useBuildEvents = (buildId: string, initial: LiveBuildState) => {
  const router = useRouter();
  const [state, setState] = useState<LiveBuildState>(initial);
  const [log, setLog] = useState<{ chunks: ParsedLogLine[][]; lastSeq: number; count: number }>({ chunks: [], lastSeq: 0, count: 0 });
  const [connection, setConnection] = useState<Connection>("connecting");
  const [streamError, setStreamError] = useState<string | null>(null);
  const initialStatus = useRef(initial.status);

  useEffect(() => {
    const source = new EventSource(`/api/builds/${encodeURIComponent(buildId)}/events?from=0`);
    let pending: ParsedLogLine[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let lastFlush = -Infinity;
    let lastStatus = initialStatus.current;

    const flush = () => {
      flushTimer = null;
      lastFlush = performance.now();
      const batch = pending;
      pending = [];
      setLog((current) => {
        const next = appendLogLines(current.chunks, batch, current.lastSeq);
        return next.added ? { chunks: next.chunks, lastSeq: next.lastSeq, count: current.count + next.added } : current;
      });
    };

    source.addEventListener("open", () => {
      setConnection("live");
      setStreamError(null);
    });
    source.addEventListener("log", (event) => {
      const line = parseEventData(logEventSchema, event.data);
      if (!line) return;
      pending.push(parseLogLine(line));
      flushTimer ??= setTimeout(flush, logFlushDelay(lastFlush, performance.now(), FLUSH_MS));
    });
    source.addEventListener("state", (event) => {
      const next = parseEventData(stateEventSchema, event.data);
      if (!next) return;
      setState({
        status: next.status,
        stepsDone: next.stepsDone,
        stepsTotal: next.stepsTotal,
        cachedSteps: next.cachedSteps,
        logTruncated: next.logTruncated,
        finishedAt: next.finishedAt,
        steps: next.steps,
        startedAt: next.startedAt,
        phases: next.phases,
        queuePosition: next.queuePosition,
      });
      // Re-read the server-rendered header when a build starts; the end refreshes the rest.
      if (next.status !== lastStatus && !isFinished(next.status)) router.refresh();
      lastStatus = next.status;
    });
    source.addEventListener("end", (event) => {
      // Without close() EventSource would reconnect and replay forever.
      source.close();
      if (flushTimer) clearTimeout(flushTimer);
      flush();
      setConnection("ended");
      const end = parseEventData(endEventSchema, event.data);
      if (end) setState((current) => ({ ...current, status: end.status }));
      if (!isFinished(initialStatus.current)) router.refresh();
    });
    // The server's own `error` event and the browser's connection error share one name.
    source.addEventListener("error", (event) => {
      const fromServer = event instanceof MessageEvent ? parseEventData(errorEventSchema, event.data) : null;
      if (fromServer) setStreamError(fromServer.message);
      setConnection(source.readyState === EventSource.CLOSED ? "failed" : "reconnecting");
    });

    return () => {
      source.close();
      if (flushTimer) clearTimeout(flushTimer);
    };
  }, [buildId, router]);

  return { state, chunks: log.chunks, lineCount: log.count, connection, streamError };
};
