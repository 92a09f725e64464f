// Pure: the HMAC-SHA256 signature of a webhook delivery, as a receiver checks it
// (docs/notifications.md): hex HMAC of `${timestamp}.${body}` with the webhook's signing secret.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-layerboard-signature";
export const TIMESTAMP_HEADER = "x-layerboard-timestamp";

export const signWebhookBody = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;

export const verifyWebhookSignature = (secret: string, timestamp: string, body: string, signature: string): boolean => {
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};
