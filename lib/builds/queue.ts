// The build job queue: pg-boss on the same Postgres, so any process can enqueue and any
// worker, on any machine, can claim. Build state itself lives in the Build table.
import "server-only";
import { PgBoss } from "pg-boss";
import { getEnv, poolTimeoutOptions } from "@/lib/env";
import { getLogger } from "@/lib/log";

export const BUILD_QUEUE = "layerboard-builds";
/** `priority`: the one it was queued with, so a worker that must queue it again keeps it (backfill builds stay behind a person's). */
export type BuildJob = { buildId: string; priority?: number };
// Issue 12: the retention job (scheduled, lib/builds/retention) and webhook deliveries
// (lib/notifications), worked by the build workers (lib/builds/ops-work.ts).
export const RETENTION_QUEUE = "layerboard-retention";
export const NOTIFY_QUEUE = "layerboard-notifications";
/** Delivery attempts of one notification: the first and up to NOTIFY_RETRIES retries, backing off exponentially. */
export const NOTIFY_RETRIES = 5;
/** Content analyses (issue 11): queued after a build succeeded, worked with their own concurrency. */
export const CONTENT_QUEUE = "layerboard-content";
/** `hops`: times the job was handed on because its image lives on another worker's engine. */
export type ContentJob = { buildId: string; hops?: number };

const cache = globalThis as unknown as { layerboardBoss?: Promise<PgBoss> };

const startBoss = async (): Promise<PgBoss> => {
  const boss = new PgBoss({
    connectionString: getEnv().DATABASE_URL,
    max: 4,
    application_name: "layerboard-queue",
    // Issue 16: a job sent to a notify queue wakes an idle worker at once (pg_notify at insert),
    // not at its next poll; the poll stays as the fallback.
    useListenNotify: true,
    // The same connect, statement and idle-in-transaction limits as the app's pool (lib/env.ts).
    ...poolTimeoutOptions(),
  });
  boss.on("error", (error) => getLogger().error({ err: error }, "[queue] error"));
  await boss.start();
  // A build is never retried by the queue: a worker that dies leaves an interrupted
  // build for a person to re-run, not a silent second attempt.
  await boss.createQueue(BUILD_QUEUE, { retryLimit: 0, expireInSeconds: 4 * 3600, notify: true });
  // Queues created before notify existed here.
  await boss.updateQueue(BUILD_QUEUE, { notify: true });
  await boss.createQueue(RETENTION_QUEUE, { retryLimit: 0, expireInSeconds: 3600 });
  // retryDelay × 2^n with jitter (about 2, 4, 8, 16, 32 s), never more than 5 minutes apart.
  await boss.createQueue(NOTIFY_QUEUE, { retryLimit: NOTIFY_RETRIES, retryDelay: 2, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 120 });
  await boss.createQueue(CONTENT_QUEUE, { retryLimit: 0, expireInSeconds: 3600 });
  return boss;
};

export const getQueue = (): Promise<PgBoss> => {
  cache.layerboardBoss ??= startBoss().catch((error) => {
    cache.layerboardBoss = undefined;
    throw error;
  });
  return cache.layerboardBoss;
};

/**
 * Issue 15: builds a backfill queues go below a person's (priority 0): pg-boss fetches by
 * priority, highest first, so a person's build takes the next free slot.
 */
export const BACKFILL_BUILD_PRIORITY = -10;

export const enqueueBuildJob = async (buildId: string, options: { priority?: number } = {}): Promise<void> => {
  const boss = await getQueue();
  const priority = options.priority ?? 0;
  await boss.send(BUILD_QUEUE, { buildId, priority } satisfies BuildJob, { singletonKey: buildId, priority });
};

export const enqueueContentJob = async (buildId: string): Promise<void> => {
  const boss = await getQueue();
  await boss.send(CONTENT_QUEUE, { buildId } satisfies ContentJob);
};

export const stopQueue = async (): Promise<void> => {
  const pending = cache.layerboardBoss;
  cache.layerboardBoss = undefined;
  if (pending) await (await pending).stop({ graceful: true, timeout: 10_000 });
};
