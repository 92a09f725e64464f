// Saving a webhook: the URL and signing secret sealed before they reach the database, never
// returned; and the "send test" button's one immediate delivery.
import "server-only";
import { createWebhook, updateWebhook, type WebhookDto, type WebhookWrite } from "@/lib/data/webhooks";
import { getProject } from "@/lib/data/projects";
import { AppError } from "@/lib/errors";
import { sealSecret } from "@/lib/notifications/secret-box";
import { webhookUrlHint } from "@/lib/notifications/webhook-url";
import { attemptDelivery, newDeliveryId, type AttemptResult } from "@/lib/notifications/deliver";
import type { WebhookInput } from "@/lib/validations/webhook";
import { findWebhookForDelivery } from "@/lib/data/webhooks";

const toWrite = (input: WebhookInput): WebhookWrite => ({
  name: input.name,
  format: input.format,
  events: input.events,
  enabled: input.enabled,
  ...(input.url ? { urlCiphertext: sealSecret(input.url), urlHint: webhookUrlHint(input.url) } : {}),
  ...(input.removeSecret ? { secretCiphertext: null } : input.secret ? { secretCiphertext: sealSecret(input.secret) } : {}),
});

export const saveWebhook = async (input: WebhookInput & { projectId: string; id?: string }): Promise<WebhookDto> => {
  const write = toWrite(input);
  if (input.id) return updateWebhook(input.id, write);
  if (!write.urlCiphertext || !write.urlHint) throw new AppError("VALIDATION", "url: a URL is required");
  return createWebhook(input.projectId, { ...write, urlCiphertext: write.urlCiphertext, urlHint: write.urlHint });
};

/** One delivery of a "test" event, now, recorded in the webhook's log like any other. */
export const sendTestNotification = async (webhookId: string): Promise<AttemptResult> => {
  const webhook = await findWebhookForDelivery(webhookId);
  if (!webhook) throw new AppError("NOT_FOUND", `webhook ${webhookId} not found`);
  const project = await getProject(webhook.projectId);
  const deliveryId = newDeliveryId();
  const result = await attemptDelivery(
    {
      webhookId,
      deliveryId,
      event: "test",
      buildId: null,
      payload: {
        schema: "layerboard.notification/v1",
        event: "test",
        deliveryId,
        occurredAt: new Date().toISOString(),
        message: "a test notification from Layerboard",
        project: { id: project.id, slug: project.slug, name: project.name },
        variant: null,
        build: null,
      },
    },
    1,
  );
  if (!result) throw new AppError("NOT_FOUND", `webhook ${webhookId} not found`);
  return result;
};
