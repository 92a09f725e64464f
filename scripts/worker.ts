// `npm run worker`: one more build worker, on this machine or another, with its own
// DOCKER_HOST. SIGTERM lets running builds finish (LAYERBOARD_SHUTDOWN_GRACE_S) and marks
// the rest interrupted.

import { embeddedDatabaseUrl } from "@/lib/database/embedded-postgres";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";

process.env.DATABASE_URL ??= embeddedDatabaseUrl();
const { startWorker } = await import("@/lib/builds/worker");
const { stopQueue } = await import("@/lib/builds/queue");

const graceMs = getEnv().LAYERBOARD_SHUTDOWN_GRACE_S * 1000;
const worker = await startWorker();

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  getLogger().child({ workerId: worker.id }).info(`[worker ${worker.id}] ${signal}: finishing running builds (up to ${graceMs / 1000} s)`);
  await worker.stop({ graceMs });
  await stopQueue();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
