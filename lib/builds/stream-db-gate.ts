// At most LAYERBOARD_STREAM_DB_CONCURRENCY database queries for live streams at once (the
// shared build feeds' polls and each new stream's catch-up read), so however many streams are
// open they hold at most that many of the pool's connections: interactive requests keep the rest.
import "server-only";
import { getEnv } from "@/lib/env";

type Gate = { running: number; waiting: Array<() => void> };
const gate: Gate = ((globalThis as { __layerboardStreamDbGate?: Gate }).__layerboardStreamDbGate ??= { running: 0, waiting: [] });

export const withStreamDb = async <T>(query: () => Promise<T>): Promise<T> => {
  if (gate.running >= getEnv().LAYERBOARD_STREAM_DB_CONCURRENCY) await new Promise<void>((resolve) => gate.waiting.push(resolve));
  else gate.running += 1;
  try {
    return await query();
  } finally {
    // Hand the slot straight to the next waiter (running stays the same), or give it back.
    const next = gate.waiting.shift();
    if (next) next();
    else gate.running -= 1;
  }
};

/** Stream queries running and waiting, for tests and diagnostics. */
export const streamDbLoad = () => ({ running: gate.running, waiting: gate.waiting.length });
