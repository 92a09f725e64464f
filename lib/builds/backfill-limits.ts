// The documented numbers of a backfill (issue 15; docs/backfill.md). Pure: the form uses them too.

/** The most commits one backfill builds ("the last N commits", N ≤ this). */
export const BACKFILL_MAX_COMMITS = 100;
export const BACKFILL_DEFAULT_COMMITS = 20;
/** Fewest backfill builds kept queued or running per backfill; a worker keeps concurrency + 1. */
export const BACKFILL_MIN_AHEAD = 2;
/** How often each worker plans and feeds backfills. */
export const BACKFILL_TICK_MS = 1000;
