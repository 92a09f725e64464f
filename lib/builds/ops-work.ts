// The queue work a build worker does besides builds (issue 12): the scheduled retention job on
// its own engine, and webhook deliveries (retried by the queue with backoff).
import "server-only";
import type Docker from "dockerode";
import type { PgBoss } from "pg-boss";
import { getEnv } from "@/lib/env";
import { NOTIFY_QUEUE, RETENTION_QUEUE } from "@/lib/builds/queue";
import { runRetention } from "@/lib/builds/retention/run-retention";
import { deliverNotificationJob, type NotifyJob } from "@/lib/notifications/deliver";
import { startPushPoller } from "@/lib/builds/push-poller";
import { getLogger } from "@/lib/log";

export const startOpsWork = async (boss: PgBoss, options: { docker: Docker; dockerHost: string; workerId: string }) => {
  const cron = getEnv().LAYERBOARD_RETENTION_CRON;
  // One schedule for every worker (pg-boss keeps one row per name); "off" removes it.
  if (cron === "off") await boss.unschedule(RETENTION_QUEUE).catch(() => undefined);
  else await boss.schedule(RETENTION_QUEUE, cron, {}, { tz: "UTC" });
  await boss.work(RETENTION_QUEUE, { localConcurrency: 1, batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
    await runRetention({ dryRun: false, docker: options.docker, dockerHost: options.dockerHost, actor: `worker ${options.workerId}` });
  });
  await boss.work<NotifyJob>(NOTIFY_QUEUE, { localConcurrency: 2, batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) =>
    deliverNotificationJob(job.data, job.retryCount),
  );
  // Branch polling for git hosts without webhooks (issue 15); every worker ticks, SKIP LOCKED shares the polls.
  const pushPoller = startPushPoller({ log: (message) => getLogger().info({ workerId: options.workerId }, message) });
  return {
    stop: async () => {
      await pushPoller.stop();
      await Promise.all([boss.offWork(RETENTION_QUEUE, { wait: false }), boss.offWork(NOTIFY_QUEUE, { wait: true })]).catch(() => undefined);
    },
  };
};
