// The content-analysis work of a build worker (issue 11): its own queue and concurrency, jobs
// handed on to a worker of the engine that built the image, analyses aborted on shutdown
// (recorded FAILED / INTERRUPTED by the job) and stale ones failed by a reaper.
import "server-only";
import type Docker from "dockerode";
import type { PgBoss } from "pg-boss";
import { getEnv } from "@/lib/env";
import { CONTENT_QUEUE, type ContentJob } from "@/lib/builds/queue";
import { runContentAnalysisJob } from "@/lib/builds/content-analysis";
import { failStaleContentAnalyses, findBuildDockerHost } from "@/lib/data/content";

// A content job whose image is on another engine is handed on at most this many times (then run here, and fail clearly).
const CONTENT_MAX_HOPS = 30;
const ABORT_SETTLE_MS = 5000;
// Builds first (issue 16): a content analysis (the image export, seconds of engine and CPU time on
// engine 20.10) waits while this worker runs a build, checked this often, at most this long.
const BUSY_POLL_MS = 250;
const MAX_BUSY_WAIT_MS = 10 * 60_000;

export type ContentWorkOptions = {
  docker: Docker;
  dockerHost: string;
  abortReason: string;
  /** True while the worker runs a build: content analyses wait (bounded) so builds keep their throughput. */
  isBusy?: () => boolean;
};

export const startContentWork = async (boss: PgBoss, options: ContentWorkOptions) => {
  const env = getEnv();
  const running = new Set<AbortController>();
  let stopping = false;
  await boss.work<ContentJob>(
    CONTENT_QUEUE,
    { localConcurrency: env.LAYERBOARD_CONTENT_CONCURRENCY, batchSize: 1, pollingIntervalSeconds: 1 },
    async ([job]) => {
      // Shutting down: hand the job back so another worker (or the next start) runs it.
      if (stopping) return void (await boss.send(CONTENT_QUEUE, job.data));
      // The images are on the engine that built them: hand the job on to a worker of that engine.
      const builtOn = await findBuildDockerHost(job.data.buildId).catch(() => null);
      const hops = job.data.hops ?? 0;
      if (builtOn && builtOn !== options.dockerHost && hops < CONTENT_MAX_HOPS)
        return void (await boss.send(CONTENT_QUEUE, { ...job.data, hops: hops + 1 } satisfies ContentJob, { startAfter: 1 }));
      for (const deadline = Date.now() + MAX_BUSY_WAIT_MS; options.isBusy?.() && !stopping && Date.now() < deadline; )
        await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
      if (stopping) return void (await boss.send(CONTENT_QUEUE, job.data));
      const controller = new AbortController();
      running.add(controller);
      try {
        await runContentAnalysisJob(job.data.buildId, { docker: options.docker, signal: controller.signal });
      } finally {
        running.delete(controller);
      }
    },
  );
  const reaper = setInterval(
    () => void failStaleContentAnalyses(Math.max(60, env.LAYERBOARD_HEARTBEAT_TIMEOUT_S * 2)).catch(() => undefined),
    30_000,
  );
  return {
    /** Takes no more jobs, aborts the running analyses and waits (bounded) for them to record it. */
    stop: async () => {
      stopping = true;
      const offWork = boss.offWork(CONTENT_QUEUE, { wait: false }).catch(() => undefined);
      for (const controller of running) controller.abort(options.abortReason);
      clearInterval(reaper);
      await offWork;
      const settleBy = Date.now() + ABORT_SETTLE_MS;
      while (running.size && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 100));
    },
  };
};
