// A build worker: claims build jobs from the Postgres queue, runs them on its own engine
// (DOCKER_HOST), heartbeats, honours cancel requests and shuts down without leaving a
// build "running".
import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { getEnv } from "@/lib/env";
import { claimBuild, finishBuild, recordBuildHeartbeats } from "@/lib/data/build-status";
import { getBuildForRun } from "@/lib/data/builds";
import { createWorker, recordWorkerStopped, recordWorkerHeartbeat } from "@/lib/data/workers";
import { createDockerClient } from "@/lib/docker/client";
import { getEngineInfo } from "@/lib/docker/engine-info";
import { rememberEngineInfo } from "@/lib/docker/engine-info-cache";
import { BUILD_QUEUE, getQueue, type BuildJob } from "@/lib/builds/queue";
import { startContentWork } from "@/lib/builds/content-work";
import { runBuild, WORKER_SHUTDOWN } from "@/lib/builds/run-build";
import { interruptOrphanedBuilds } from "@/lib/builds/orphaned-builds";
import { retry } from "@/lib/builds/build-recorder";
import { startOpsWork } from "@/lib/builds/ops-work";
import { startBackfillWork } from "@/lib/builds/backfill-work";
import { buildLogger, getLogger } from "@/lib/log";

const HEARTBEAT_MS = 2000;
const ENGINE_RETRY_MS = 3000;
const ABORT_SETTLE_MS = 5000;
// Builds first (issue 16): after a build ends, a waiting content analysis holds off this long, so
// that a queued build is claimed first (the queue answers within its 0.5 s poll, at once when
// notified); without it an analysis slipped into the gap between two builds and slowed them.
const NEXT_BUILD_GRACE_MS = 1000;

export type WorkerHandle = { id: string; stop: (options?: { graceMs?: number }) => Promise<void> };

export const startWorker = async (options: { concurrency?: number; dockerHost?: string } = {}): Promise<WorkerHandle> => {
  const env = getEnv();
  const dockerHost = options.dockerHost ?? env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  const docker: Docker = createDockerClient(dockerHost);
  const concurrency = options.concurrency ?? env.LAYERBOARD_WORKER_CONCURRENCY;
  const id = `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const active = new Map<string, AbortController>();
  let stopping = false;
  const log = getLogger().child({ workerId: id });

  await createWorker({ id, hostname: os.hostname(), pid: process.pid, dockerHost });
  const interrupted = await interruptOrphanedBuilds(env.LAYERBOARD_HEARTBEAT_TIMEOUT_S);
  if (interrupted) log.info(`[worker ${id}] marked ${interrupted} orphaned build(s) interrupted`);

  const heartbeat = setInterval(async () => {
    try {
      const now = new Date();
      await recordWorkerHeartbeat(id, now);
      if (!active.size) return;
      const cancelled = await recordBuildHeartbeats(id, [...active.keys()], now);
      for (const buildId of cancelled) active.get(buildId)?.abort("cancelled by a user");
    } catch (error) {
      log.error(`[worker ${id}] heartbeat failed: ${(error as Error).message}`);
    }
  }, HEARTBEAT_MS);
  const reaper = setInterval(
    () => void interruptOrphanedBuilds(env.LAYERBOARD_HEARTBEAT_TIMEOUT_S).catch(() => undefined),
    Math.max(5, env.LAYERBOARD_HEARTBEAT_TIMEOUT_S / 3) * 1000,
  );

  // While the engine is down the build stays queued; it runs once the engine is back.
  const waitForEngine = async () => {
    for (let warned = false; !stopping; warned = true) {
      const info = await getEngineInfo(docker);
      rememberEngineInfo(docker, info); // the pipeline reuses it instead of asking again (issue 16)
      if (info.reachable) return true;
      if (!warned) log.warn(`[worker ${id}] engine unreachable (${info.reason}); waiting`);
      await new Promise((resolve) => setTimeout(resolve, ENGINE_RETRY_MS));
    }
    return false;
  };

  let lastBuildEndedAt = 0;
  const handle = async ({ buildId, priority = 0 }: BuildJob) => {
    if (!(await waitForEngine())) {
      // Shutting down before the build was claimed: this job is used up, so queue a new one
      // or the build would stay queued with nothing left to run it. (This worker's own boss:
      // stopQueue() has already dropped the cached one by now.)
      await boss.send(BUILD_QUEUE, { buildId, priority } satisfies BuildJob, { singletonKey: buildId, priority });
      return;
    }
    // Tracked before the claim, so that a stop() from then on sees this build.
    const controller = new AbortController();
    active.set(buildId, controller);
    try {
      // Retried: a database blip here would otherwise fail the job, and the queue never
      // retries, so the build would stay QUEUED with nothing left to run it. The claim also
      // matches a build this worker already claimed, in case a retry follows a lost answer.
      const claimed = await retry(() => claimBuild(buildId, id));
      if (!claimed) return; // cancelled while queued, or already taken
      const build = await retry(() => getBuildForRun(buildId));
      const buildLog = buildLogger(buildId, { workerId: id });
      buildLog.info({ variantId: build.variantId }, `[worker ${id}] building ${buildId}`);
      await runBuild(build, { docker, workerId: id, signal: controller.signal });
      buildLog.info(`[worker ${id}] done with ${buildId}`);
    } finally {
      active.delete(buildId);
      lastBuildEndedAt = Date.now();
    }
  };

  const boss = await getQueue();
  await boss.work<BuildJob>(
    BUILD_QUEUE,
    // Woken by pg-boss's notify when a build is queued; polled at the same pace otherwise (never the relaxed 30 s).
    { localConcurrency: concurrency, batchSize: 1, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 },
    async ([job]) => handle(job.data),
  );
  const opsWork = await startOpsWork(boss, { docker, dockerHost, workerId: id });
  log.info(`[worker ${id}] taking builds on ${dockerHost} (concurrency ${concurrency})`);

  // Content analyses (issue 11): their own queue and concurrency; stopped (FAILED, INTERRUPTED) on shutdown.
  const contentWork = await startContentWork(boss, { docker, dockerHost, abortReason: WORKER_SHUTDOWN, isBusy: () => active.size > 0 || Date.now() - lastBuildEndedAt < NEXT_BUILD_GRACE_MS });
  // Backfills (issue 15): planned and fed to the build queue a few items at a time.
  const backfillWork = startBackfillWork({ concurrency });

  return {
    id,
    stop: async ({ graceMs = 30_000 } = {}) => {
      stopping = true;
      const backfillStopped = backfillWork.stop();
      const offWork = boss.offWork(BUILD_QUEUE, { wait: false }).catch(() => undefined);
      const contentStopped = contentWork.stop();
      const deadline = Date.now() + graceMs;
      while (active.size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      // Past the grace period: abort what still runs. The pipeline records it INTERRUPTED
      // (told apart from a user's cancel by the reason) after its last log line, so live
      // viewers get the whole log; whatever has not ended shortly after is marked here.
      for (const controller of active.values()) controller.abort(WORKER_SHUTDOWN);
      const settleBy = Date.now() + ABORT_SETTLE_MS;
      while (active.size && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 100));
      for (const buildId of active.keys())
        await retry(() => finishBuild(buildId, "INTERRUPTED", { code: "INTERRUPTED", message: WORKER_SHUTDOWN }));
      await offWork;
      await opsWork.stop();
      await contentStopped;
      await backfillStopped;
      clearInterval(heartbeat);
      clearInterval(reaper);
      await recordWorkerStopped(id).catch(() => undefined);
    },
  };
};
