// After a build's final status: the events it raised (failed, does not run, budget, size
// regression), one queued delivery per subscribed webhook. Never throws and never delays the
// build: run-build calls it without waiting.
import "server-only";
import { getEnv } from "@/lib/env";
import { toNumber } from "@/lib/data/mappers";
import { findPreviousSuccessfulBuild } from "@/lib/data/builds";
import { findBuildForNotification, findSubscribedWebhooks } from "@/lib/data/webhooks";
import { NOTIFY_QUEUE, getQueue } from "@/lib/builds/queue";
import { detectBuildEvents, sizeForBudget, type NotificationMoment, type NotificationPayload } from "@/lib/notifications/events";
import { newDeliveryId, type NotifyJob } from "@/lib/notifications/deliver";
import { buildLogger } from "@/lib/log";

/**
 * Queues the build's notifications; resolves to how many deliveries were queued. "finished": the
 * status events, and the size events of an on-disk budget (or a compressed one already known);
 * "compressed": the size events of a compressed budget, once the estimate came in.
 */
export const queueBuildNotifications = async (buildId: string, moment: NotificationMoment = "finished"): Promise<number> => {
  const build = await findBuildForNotification(buildId);
  if (!build) return 0;
  const size = toNumber(build.totalSize);
  const previous = build.status === "SUCCEEDED" ? await findPreviousSuccessfulBuild(build) : null;
  const judged = sizeForBudget(build.variant.budgetBasis, moment, {
    size,
    compressedSize: toNumber(build.compressedSize),
    previousSize: previous?.totalSize ?? null,
    previousCompressedSize: previous?.compressedSize ?? null,
  });
  const events = detectBuildEvents(
    {
      status: build.status,
      smokeRuns: build.smoke ? build.smoke.runs : null,
      size: judged?.size ?? null,
      previousSize: judged?.previousSize ?? null,
      sizeBudgetBytes: toNumber(build.variant.sizeBudgetBytes),
      regressionThresholdPct: build.variant.regressionThresholdPct,
    },
    getEnv().LAYERBOARD_NOTIFY_REGRESSION_PCT,
    { sizeLabel: judged?.label, statusEvents: moment === "finished" },
  );
  let queued = 0;
  for (const { event, message } of events) {
    const webhooks = await findSubscribedWebhooks(build.project.id, event);
    if (!webhooks.length) continue;
    const boss = await getQueue();
    for (const webhook of webhooks) {
      const deliveryId = newDeliveryId();
      const payload: NotificationPayload = {
        schema: "layerboard.notification/v1",
        event,
        deliveryId,
        occurredAt: new Date().toISOString(),
        message,
        project: build.project,
        variant: { id: build.variant.id, name: build.variant.name },
        build: {
          id: build.id,
          path: `/builds/${build.id}`,
          status: build.status,
          errorCode: build.errorCode,
          error: build.error,
          sizeBytes: size,
          previousSizeBytes: previous?.totalSize ?? null,
          sizeBudgetBytes: toNumber(build.variant.sizeBudgetBytes),
          compressedSizeBytes: toNumber(build.compressedSize),
          budgetBasis: build.variant.budgetBasis === "COMPRESSED" ? "COMPRESSED" : "DISK",
          smokeRuns: build.smoke ? build.smoke.runs : null,
        },
      };
      await boss.send(NOTIFY_QUEUE, { webhookId: webhook.id, deliveryId, event, buildId: build.id, payload } satisfies NotifyJob);
      queued += 1;
    }
  }
  return queued;
};

/** Fire and forget, for the end of the pipeline (or the compressed estimate): a failure is logged, never thrown. */
export const notifyBuildFinished = (buildId: string, moment: NotificationMoment = "finished"): void => {
  void queueBuildNotifications(buildId, moment).catch((error: unknown) =>
    buildLogger(buildId).error(`[notifications] build ${buildId}: could not queue its notifications: ${(error as Error).message}`),
  );
};
