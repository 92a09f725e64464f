// When a batch of log lines is written (the recorder) or rendered (the live log pane): at most
// once per interval, and a line after a quiet spell — the first line of a build — at once
// instead of a whole interval later. Pure; shared by the worker and the browser.

/** Milliseconds to wait before the next batch, given when the last one went. */
export const logFlushDelay = (lastFlushAt: number, now: number, intervalMs: number): number => Math.max(0, lastFlushAt + intervalMs - now);
