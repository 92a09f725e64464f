// Sends one webhook delivery: a bounded POST (timeout, response read to a limit, no redirects
// followed), signed when the webhook has a secret, and one row in its delivery log per attempt.
import "server-only";
import { randomUUID } from "node:crypto";
import { findWebhookForDelivery, recordWebhookDelivery } from "@/lib/data/webhooks";
import { openSecret } from "@/lib/notifications/secret-box";
import { renderWebhookBody, type NotificationPayload, type WebhookFormat } from "@/lib/notifications/events";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from "@/lib/notifications/signature";

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Bytes of a receiver's response read (the rest is dropped): enough for an error message. */
export const WEBHOOK_RESPONSE_LIMIT = 16 * 1024;

export type NotifyJob = { webhookId: string; deliveryId: string; event: string; buildId: string | null; payload: NotificationPayload };
export type AttemptResult = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

const readLimited = async (response: Response): Promise<string> => {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < WEBHOOK_RESPONSE_LIMIT) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, WEBHOOK_RESPONSE_LIMIT).toString("utf8");
};

const post = async (url: string, body: string, headers: Record<string, string>): Promise<AttemptResult> => {
  const started = Date.now();
  const signal = AbortSignal.timeout(WEBHOOK_TIMEOUT_MS);
  try {
    const response = await fetch(url, { method: "POST", body, headers, redirect: "manual", signal });
    const text = await readLimited(response);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}: ${text.slice(0, 300)}`, durationMs: Date.now() - started };
  } catch (error) {
    const message = signal.aborted ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    return { ok: false, statusCode: null, error: message, durationMs: Date.now() - started };
  }
};

/** One attempt of `job` (attempt 1 is the first); recorded in the delivery log. Null: the webhook is gone or off. */
export const attemptDelivery = async (job: NotifyJob, attempt: number): Promise<AttemptResult | null> => {
  const webhook = await findWebhookForDelivery(job.webhookId);
  if (!webhook || (!webhook.enabled && job.event !== "test")) return null;
  const body = renderWebhookBody(webhook.format as WebhookFormat, job.payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Layerboard-Webhook/1",
    "x-layerboard-event": job.event,
    "x-layerboard-delivery": job.deliveryId,
    [TIMESTAMP_HEADER]: timestamp,
  };
  if (webhook.secretCiphertext) headers[SIGNATURE_HEADER] = signWebhookBody(openSecret(webhook.secretCiphertext), timestamp, body);
  const result = await post(openSecret(webhook.urlCiphertext), body, headers);
  await recordWebhookDelivery({ webhookId: job.webhookId, deliveryId: job.deliveryId, event: job.event, buildId: job.buildId, attempt, ...result });
  return result;
};

/** The queue's handler: throws on a failed attempt so the queue retries it with backoff. */
export const deliverNotificationJob = async (job: NotifyJob, retryCount: number): Promise<void> => {
  const result = await attemptDelivery(job, retryCount + 1);
  if (result && !result.ok) throw new Error(`webhook ${job.webhookId} attempt ${retryCount + 1}: ${result.error}`);
};

export const newDeliveryId = () => randomUUID();
