// Server-Sent Events for one build, read from Postgres so it works whichever process runs
// the build. A stream first reads the stored lines it was asked for (after Last-Event-ID, from
// the tail, or all), then follows the build's shared feed (lib/builds/build-feed.ts: one poll
// per build, not per stream); `id` is the line's seq, so a reconnect with Last-Event-ID
// resumes without duplicates. Ends when the build ends.
import "server-only";
import { findLogLines } from "@/lib/data/build-logs";
import { AppError } from "@/lib/errors";
import { sseFrame, subscribeToBuildFeed, type FeedEvent } from "@/lib/builds/build-feed";
import { withStreamDb } from "@/lib/builds/stream-db-gate";

const KEEPALIVE_MS = 15_000;
const PAGE = 500;
/** A client this far behind (bytes queued for it) is cut off; EventSource reconnects with Last-Event-ID. */
export const MAX_STREAM_BACKLOG_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/** Where a stream starts: after a line seq (0: the whole stored log), or at the last `lines` lines. */
export type StreamStart = { after: number } | { tail: number };

/**
 * Throws NOT_FOUND for an unknown build (before any response is sent). `onClose` runs once
 * when the stream ends, its client goes away (`signal`) or its reader is cancelled.
 */
export const streamBuildEvents = async (
  buildId: string,
  start: StreamStart,
  signal: AbortSignal,
  options: { onClose?: () => void } = {},
): Promise<ReadableStream<Uint8Array>> => {
  const onClose = options.onClose ?? (() => undefined);
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let closed = false;
  let lastWrite = Date.now();
  let lastSeq = 0;
  // Feed events that arrive while the stream reads its start from the database.
  let pending: FeedEvent[] | null = [];
  // The reader asked for more (pull): a long replay waits for the client instead of queueing.
  let drained: (() => void) | null = null;
  const waitForReader = async () => {
    while (!closed && controller && (controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (drained = resolve));
  };

  // `live`: a frame of the shared feed, which does not wait for anyone: a client too far behind is cut off.
  const send = (chunk: Uint8Array, live = false) => {
    if (closed || !controller) return;
    if (live && (controller.desiredSize ?? 0) < -MAX_STREAM_BACKLOG_BYTES) {
      finish();
      return;
    }
    controller.enqueue(chunk);
    lastWrite = Date.now();
  };

  const deliver = (event: FeedEvent) => {
    if (event.kind === "lines") {
      for (const line of event.lines)
        if (line.seq > lastSeq) {
          send(line.frame, true);
          lastSeq = line.seq;
        }
    } else if (event.kind === "tick") {
      if (Date.now() - lastWrite > KEEPALIVE_MS) send(encoder.encode(": keep-alive\n\n"));
    } else {
      send(event.frame);
      if (event.kind === "end" || event.kind === "error") finish();
    }
  };

  const subscription = subscribeToBuildFeed(buildId, (event) => {
    if (pending) pending.push(event);
    else deliver(event);
  });

  function finish() {
    if (closed) return;
    closed = true;
    drained?.();
    subscription.unsubscribe();
    signal.removeEventListener("abort", finish);
    onClose();
    try {
      controller?.close();
    } catch {
      // the client went away first
    }
  }

  // The slot and the feed are given back the moment the client goes, not at the next poll.
  signal.addEventListener("abort", finish, { once: true });
  let exists: boolean;
  try {
    exists = await subscription.ready;
  } catch (error) {
    finish();
    throw error;
  }
  if (!exists) {
    finish();
    throw new AppError("NOT_FOUND", `build ${buildId} not found`);
  }
  if (signal.aborted) finish();

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (closed) {
          c.close();
          return;
        }
        // Not awaited: the stream calls pull() (the reader wants more) only once start returned.
        void catchUp();
      },
      pull() {
        const resolve = drained;
        drained = null;
        resolve?.();
      },
      cancel() {
        finish();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );

  async function catchUp() {
    send(encoder.encode("retry: 2000\n\n"));
    const coveredFrom = subscription.coveredFrom();
    lastSeq = "after" in start ? start.after : Math.max(0, coveredFrom - start.tail);
    // From the feed's recent lines when they reach back far enough (the tail, a recent
    // Last-Event-ID): no database read at all.
    const recent = subscription.recent();
    if (recent.length && recent[0].seq <= lastSeq + 1)
      for (const line of recent)
        if (line.seq > lastSeq && line.seq <= coveredFrom) {
          send(line.frame);
          lastSeq = line.seq;
        }
    try {
      // Stored lines up to where the feed took over, then what the feed sent meanwhile.
      while (!closed && lastSeq < coveredFrom) {
        const rows = await withStreamDb(() => findLogLines(buildId, lastSeq, Math.min(PAGE, coveredFrom - lastSeq)));
        for (const line of rows) if (line.seq <= coveredFrom) send(sseFrame("log", line, line.seq));
        if (!rows.length) break;
        lastSeq = Math.min(rows[rows.length - 1].seq, coveredFrom);
        await waitForReader();
      }
      lastSeq = Math.max(lastSeq, coveredFrom);
    } catch (error) {
      send(sseFrame("error", { message: error instanceof Error ? error.message : String(error) }));
      finish();
      return;
    }
    const queued = pending ?? [];
    pending = null;
    if (!queued.some((event) => event.kind === "state")) {
      const state = subscription.stateFrame();
      if (state) send(state);
    }
    for (const event of queued) deliver(event);
  }
};
