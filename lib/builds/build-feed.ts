// One shared database poll per followed build, fanned out in process: the first live stream
// of a build starts its feed, later streams of the same build share it, and it stops when the
// last one leaves or the build has ended. However many people watch a build, a web process
// reads its new log lines and state once per poll (lib/builds/build-events.ts is the stream
// side). Every query goes through the stream gate (lib/builds/stream-db-gate.ts).
import "server-only";
import { findBuildSteps, findLogLines } from "@/lib/data/build-logs";
import { findBuildState } from "@/lib/data/builds";
import { findQueuePosition } from "@/lib/data/queue-position";
import { withStreamDb } from "@/lib/builds/stream-db-gate";
import { onBuildLogWritten } from "@/lib/data/build-notify";
import { getEnv } from "@/lib/env";
import { isFinished } from "@/lib/types";

// The fallback poll: a feed wakes at once when the recorder's write is notified (LISTEN/NOTIFY),
// and at least this often for state changes and lost notifications.
export const FEED_POLL_MS = 400;
// At most one read per this long however fast the notifications come (the recorder writes every
// 50 ms while lines flow): a build's feed costs the database ≤ 20 reads/s, whatever its viewers.
export const FEED_MIN_READ_MS = 50;
const PAGE = 500;

const encoder = new TextEncoder();
export const sseFrame = (event: string, data: unknown, id?: number) =>
  encoder.encode(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

/** What a feed hands its subscribers: frames encoded once, shared by every stream. */
export type FeedLine = { seq: number; frame: Uint8Array };

export type FeedEvent =
  | { kind: "lines"; lines: FeedLine[] }
  | { kind: "state"; frame: Uint8Array }
  | { kind: "end"; frame: Uint8Array }
  | { kind: "error"; frame: Uint8Array }
  | { kind: "tick" };

export type FeedSubscriber = (event: FeedEvent) => void;

type Feed = {
  buildId: string;
  subscribers: Set<FeedSubscriber>;
  /** The last line seq the feed has read (lines up to it existed when the feed started or were broadcast). */
  lastSeq: number;
  /** lastSeq when the feed became ready: what a subscriber that joined before must read itself. */
  initialSeq: number;
  stateFrame: Uint8Array | null;
  /** The last LAYERBOARD_STREAM_TAIL_LINES line frames, so a stream starting at the tail reads no database. */
  recent: FeedLine[];
  fingerprint: string;
  ready: Promise<boolean>;
  isReady: boolean;
  closed: boolean;
  /** A write was notified since the last read; `wake` ends the current wait early. */
  notified: boolean;
  wake: (() => void) | null;
  unlisten: () => void;
};

type Feeds = { byBuild: Map<string, Feed>; polls: number };
const feeds: Feeds = ((globalThis as { __layerboardBuildFeeds?: Feeds }).__layerboardBuildFeeds ??= { byBuild: new Map(), polls: 0 });

const broadcast = (feed: Feed, event: FeedEvent) => {
  for (const subscriber of feed.subscribers) subscriber(event);
};

const close = (feed: Feed) => {
  feed.closed = true;
  feed.unlisten();
  if (feeds.byBuild.get(feed.buildId) === feed) feeds.byBuild.delete(feed.buildId);
};

/** Reads the state; broadcasts a state frame when it changed. false: the build is gone. */
const readState = async (feed: Feed) => {
  const state = await withStreamDb(() => findBuildState(feed.buildId));
  if (!state) return null;
  // Issue 13: a queued build's place in the queue moves as the builds ahead of it start.
  const queuePosition = state.status === "QUEUED" ? await withStreamDb(() => findQueuePosition(feed.buildId)) : null;
  const fingerprint = `${state.status}|${state.stepsTotal}|${state.stepsDone}|${state.cachedSteps}|${state.logTruncated}|${queuePosition}|${JSON.stringify(state.phases)}`;
  if (fingerprint !== feed.fingerprint) {
    const steps = await withStreamDb(() => findBuildSteps(feed.buildId));
    feed.fingerprint = fingerprint;
    feed.stateFrame = sseFrame("state", { ...state, queuePosition, startedAt: state.startedAt?.toISOString() ?? null, finishedAt: state.finishedAt?.toISOString() ?? null, steps });
    broadcast(feed, { kind: "state", frame: feed.stateFrame });
  }
  return state;
};

const poll = async (feed: Feed) => {
  let lastRead = 0;
  while (!feed.closed && feed.subscribers.size) {
    if (!feed.notified)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => (feed.wake = null, resolve()), FEED_POLL_MS);
        feed.wake = () => {
          clearTimeout(timer);
          feed.wake = null;
          resolve();
        };
      });
    const gap = lastRead + FEED_MIN_READ_MS - performance.now();
    if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
    feed.notified = false;
    lastRead = performance.now();
    if (feed.closed || !feed.subscribers.size) break;
    feeds.polls += 1;
    try {
      // The state first: lines written before a finished state are all visible below.
      const state = await readState(feed);
      if (!state) {
        broadcast(feed, { kind: "error", frame: sseFrame("error", { message: `build ${feed.buildId} not found` }) });
        break;
      }
      for (let more = true; more && feed.subscribers.size; ) {
        const rows = await withStreamDb(() => findLogLines(feed.buildId, feed.lastSeq, PAGE));
        if (rows.length) {
          feed.lastSeq = rows[rows.length - 1].seq;
          const lines = rows.map((line) => ({ seq: line.seq, frame: sseFrame("log", line, line.seq) }));
          remember(feed, lines);
          broadcast(feed, { kind: "lines", lines });
        }
        more = rows.length === PAGE;
      }
      if (isFinished(state.status) && feed.lastSeq >= state.logLines) {
        broadcast(feed, { kind: "end", frame: sseFrame("end", { status: state.status }) });
        break;
      }
      broadcast(feed, { kind: "tick" });
    } catch (error) {
      broadcast(feed, { kind: "error", frame: sseFrame("error", { message: error instanceof Error ? error.message : String(error) }) });
      break;
    }
  }
  close(feed);
};

const remember = (feed: Feed, lines: FeedLine[]) => {
  const keep = getEnv().LAYERBOARD_STREAM_TAIL_LINES;
  feed.recent = [...feed.recent, ...lines].slice(-keep);
};

const startFeed = (buildId: string): Feed => {
  const feed: Feed = {
    buildId, subscribers: new Set(), lastSeq: 0, initialSeq: 0, stateFrame: null, recent: [], fingerprint: "",
    ready: Promise.resolve(false), isReady: false, closed: false, notified: false, wake: null, unlisten: () => undefined,
  };
  feed.unlisten = onBuildLogWritten(buildId, () => {
    feed.notified = true;
    feed.wake?.();
  });
  feed.ready = (async () => {
    try {
      // Lines up to the current count exist already: subscribers read what they need of them
      // themselves (from their Last-Event-ID or the tail); the feed reads only newer ones.
      const state = await readState(feed);
      if (!state) {
        close(feed);
        return false;
      }
      const keep = getEnv().LAYERBOARD_STREAM_TAIL_LINES;
      if (keep && state.logLines) {
        const rows = await withStreamDb(() => findLogLines(feed.buildId, Math.max(0, state.logLines - keep), keep));
        remember(feed, rows.filter((line) => line.seq <= state.logLines).map((line) => ({ seq: line.seq, frame: sseFrame("log", line, line.seq) })));
      }
      feed.lastSeq = state.logLines;
      feed.initialSeq = state.logLines;
      feed.isReady = true;
      if (isFinished(state.status)) {
        broadcast(feed, { kind: "end", frame: sseFrame("end", { status: state.status }) });
        close(feed);
      } else void poll(feed);
      return true;
    } catch (error) {
      close(feed);
      throw error;
    }
  })();
  feeds.byBuild.set(buildId, feed);
  return feed;
};

export type FeedSubscription = {
  /** false: the build does not exist. Throws when the database could not be read. */
  ready: Promise<boolean>;
  /** Lines after this seq reach the subscriber from the feed; those up to it it must read itself. */
  coveredFrom: () => number;
  /** The feed's recent lines up to coveredFrom(): what a stream starting at the tail sends first. */
  recent: () => FeedLine[];
  /** The latest state frame (set once ready). */
  stateFrame: () => Uint8Array | null;
  unsubscribe: () => void;
};

/** Joins (or starts) the feed of a build. Events come as soon as this returns. */
export const subscribeToBuildFeed = (buildId: string, subscriber: FeedSubscriber): FeedSubscription => {
  const existing = feeds.byBuild.get(buildId);
  const feed = existing && !existing.closed ? existing : startFeed(buildId);
  // Captured now: a ready feed broadcasts every line after its lastSeq to this subscriber.
  const joinedAt = feed.isReady ? feed.lastSeq : null;
  const recentAtJoin = feed.isReady ? feed.recent : null;
  feed.subscribers.add(subscriber);
  return {
    ready: feed.ready,
    coveredFrom: () => joinedAt ?? feed.initialSeq,
    // remember() replaces the array, never changes it: what was there at join (or at start) stays.
    recent: () => recentAtJoin ?? feed.recent.filter((line) => line.seq <= feed.initialSeq),
    stateFrame: () => feed.stateFrame,
    unsubscribe: () => {
      feed.subscribers.delete(subscriber);
      // A feed still starting closes itself once ready and alone (its poll loop sees no one).
      if (!feed.subscribers.size && feed.isReady) close(feed);
    },
  };
};

/** Feeds running and polls done since start, for tests and diagnostics. */
export const buildFeedStats = () => ({
  feeds: feeds.byBuild.size,
  polls: feeds.polls,
  subscribers: [...feeds.byBuild.values()].reduce((sum, feed) => sum + feed.subscribers.size, 0),
});
