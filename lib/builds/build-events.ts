// Server-Sent Events for one build, read from Postgres so it works whichever process
// runs the build: replays stored log lines, then follows; `id` is the line's seq, so a
// reconnect with Last-Event-ID resumes without duplicates. Ends when the build ends.
import "server-only";
import { findBuildSteps, findLogLines } from "@/lib/data/build-logs";
import { findBuildState } from "@/lib/data/builds";
import { AppError } from "@/lib/errors";
import { isFinished } from "@/lib/types";

const POLL_MS = 400;
const KEEPALIVE_MS = 15_000;

const encoder = new TextEncoder();
const frame = (event: string, data: unknown, id?: number) =>
  encoder.encode(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * `tail`: with no `afterSeq`, start at the last `tail` stored lines instead of the first.
 * `onClose` runs once when the stream ends, its client goes away or its reader is cancelled.
 */
export const streamBuildEvents = async (
  buildId: string,
  afterSeq: number,
  signal: AbortSignal,
  options: { tail?: number; onClose?: () => void } = {},
): Promise<ReadableStream<Uint8Array>> => {
  const initial = await findBuildState(buildId);
  if (!initial) throw new AppError("NOT_FOUND", `build ${buildId} not found`);
  const onClose = options.onClose ?? (() => undefined);
  let cancelled = false;
  const stopped = () => signal.aborted || cancelled;
  let lastSeq = afterSeq > 0 || options.tail === undefined ? afterSeq : Math.max(0, initial.logLines - options.tail);
  let fingerprint = "";
  let lastWrite = Date.now();

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: Uint8Array) => {
        controller.enqueue(chunk);
        lastWrite = Date.now();
      };
      send(encoder.encode("retry: 2000\n\n"));
      try {
        while (!stopped()) {
          // Read the state first: lines written before a finished state are all visible below.
          const state = await findBuildState(buildId);
          if (!state) break;
          for (let more = true; more && !stopped(); ) {
            const lines = await findLogLines(buildId, lastSeq, 500);
            for (const line of lines) send(frame("log", line, line.seq));
            if (lines.length) lastSeq = lines[lines.length - 1].seq;
            more = lines.length === 500;
          }
          const nextFingerprint = `${state.status}|${state.stepsTotal}|${state.stepsDone}|${state.cachedSteps}|${state.logTruncated}`;
          if (nextFingerprint !== fingerprint) {
            fingerprint = nextFingerprint;
            send(
              frame("state", {
                ...state,
                startedAt: state.startedAt?.toISOString() ?? null,
                finishedAt: state.finishedAt?.toISOString() ?? null,
                steps: await findBuildSteps(buildId),
              }),
            );
          }
          if (isFinished(state.status) && lastSeq >= state.logLines) {
            send(frame("end", { status: state.status }));
            break;
          }
          if (Date.now() - lastWrite > KEEPALIVE_MS) send(encoder.encode(": keep-alive\n\n"));
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      } catch (error) {
        if (!stopped()) send(frame("error", { message: error instanceof Error ? error.message : String(error) }));
      }
      onClose();
      try {
        controller.close();
      } catch {
        // the client went away first
      }
    },
    cancel() {
      cancelled = true;
      onClose();
    },
  });
};
