// Postgres LISTEN/NOTIFY for live logs (issue 16): the recorder's log write says "new lines of
// build X" in its own transaction (delivered at commit), so every web process wakes that build's
// live feed at once instead of at its next poll. (A queued build wakes an idle worker through
// pg-boss's own notify: lib/builds/queue.ts.) One listening connection per process, open while a
// feed listens, opened again after an error. A lost notification costs only the fallback poll:
// nothing depends on delivery.
import "server-only";
import pg from "pg";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";

export const BUILD_LOG_CHANNEL = "layerboard_build_log";
const RECONNECT_MS = 1000;

type Handlers = Map<string, Set<() => void>>;
type Listening = { handlers: Handlers; client: pg.Client | null; opening: Promise<void> | null; retry: NodeJS.Timeout | null };
const listening: Listening = ((globalThis as { __layerboardNotify?: Listening }).__layerboardNotify ??= {
  handlers: new Map(),
  client: null,
  opening: null,
  retry: null,
});

const keyOf = (channel: string, payload: string) => `${channel}\u0000${payload}`;

const dispatch = (channel: string, payload: string | undefined) => {
  for (const handler of listening.handlers.get(keyOf(channel, payload ?? "")) ?? []) handler();
};

const close = (client: pg.Client, reopen: boolean) => {
  if (listening.client === client) listening.client = null;
  void client.end().catch(() => undefined);
  if (reopen && listening.handlers.size && !listening.retry)
    listening.retry = setTimeout(() => {
      listening.retry = null;
      void open();
    }, RECONNECT_MS);
};

const open = (): Promise<void> => {
  if (listening.client || listening.opening || !listening.handlers.size) return listening.opening ?? Promise.resolve();
  const client = new pg.Client({ connectionString: getEnv().DATABASE_URL, connectionTimeoutMillis: 5000 });
  client.on("notification", (message) => dispatch(message.channel, message.payload));
  client.on("error", () => close(client, true));
  client.on("end", () => close(client, true));
  listening.opening = (async () => {
    try {
      await client.connect();
      await client.query(`LISTEN ${BUILD_LOG_CHANNEL}`);
      listening.client = client;
      // A quiet process must still exit: the listening connection alone keeps nothing alive.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      if (!listening.handlers.size) close(client, false);
    } catch (error) {
      getLogger().warn({ err: error }, "[notify] LISTEN failed; falling back to polling");
      close(client, true);
    } finally {
      listening.opening = null;
    }
  })();
  return listening.opening;
};

/** Calls `handler` on every notification on `channel` with `payload`; returns the unsubscribe. */
const onNotify = (channel: string, payload: string, handler: () => void): (() => void) => {
  const key = keyOf(channel, payload);
  const set = listening.handlers.get(key) ?? new Set();
  set.add(handler);
  listening.handlers.set(key, set);
  void open();
  return () => {
    set.delete(handler);
    // Only this set: a later subscriber to the same build may hold a new one under the key.
    if (!set.size && listening.handlers.get(key) === set) listening.handlers.delete(key);
    if (!listening.handlers.size && listening.client) close(listening.client, false);
  };
};

/** New log lines of `buildId` were committed. */
export const onBuildLogWritten = (buildId: string, handler: () => void) => onNotify(BUILD_LOG_CHANNEL, buildId, handler);
