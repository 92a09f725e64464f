// Bounds on live SSE streams (GET /api/builds/:id/events): at most
// LAYERBOARD_MAX_STREAMS_PER_ACTOR open at once per user (all their sessions) or API token,
// and LAYERBOARD_MAX_STREAMS in total per web process. Each open stream holds a slot until it
// ends, its client goes away or its reader is cancelled. Counted in memory: every web process
// has its own slots (the totals are per process, not per installation).
import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";

/** Seconds a refused client is told to wait (Retry-After) before trying again. */
export const STREAM_RETRY_AFTER_S = 5;

type Slots = { total: number; byActor: Map<string, number> };
// On globalThis so that Next.js dev reloads of this module keep counting the same streams.
const slots: Slots = ((globalThis as { __layerboardStreamSlots?: Slots }).__layerboardStreamSlots ??= { total: 0, byActor: new Map() });

export const streamActorKey = (actor: Actor): string => (actor.kind === "user" ? `user:${actor.userId}` : `token:${actor.tokenId}`);

export type StreamSlotRefusal = { scope: "actor" | "total"; limit: number };

/**
 * Takes a slot for `key`: a release function (idempotent) or why not. Nothing is taken when
 * refused.
 */
export const acquireStreamSlot = (key: string): { release: () => void } | { refused: StreamSlotRefusal } => {
  const { LAYERBOARD_MAX_STREAMS_PER_ACTOR: perActor, LAYERBOARD_MAX_STREAMS: total } = getEnv();
  const mine = slots.byActor.get(key) ?? 0;
  if (mine >= perActor) return { refused: { scope: "actor", limit: perActor } };
  if (slots.total >= total) return { refused: { scope: "total", limit: total } };
  slots.byActor.set(key, mine + 1);
  slots.total += 1;
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      const left = (slots.byActor.get(key) ?? 1) - 1;
      if (left > 0) slots.byActor.set(key, left);
      else slots.byActor.delete(key);
      slots.total -= 1;
    },
  };
};

/** Open streams, for tests and diagnostics. */
export const openStreamCount = (key?: string): number => (key === undefined ? slots.total : (slots.byActor.get(key) ?? 0));
