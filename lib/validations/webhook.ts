// Schemas for a project's webhooks, shared by the settings form and the server actions.
import { z } from "zod";
import { NOTIFICATION_EVENTS, WEBHOOK_FORMATS } from "@/lib/notifications/events";
import { webhookUrlSchema } from "@/lib/notifications/webhook-url";

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const webhookInputSchema = z.object({
  name: z.string().trim().min(1, "a name is required").max(80, "at most 80 characters"),
  format: z.enum(WEBHOOK_FORMATS),
  events: z.array(z.enum(NOTIFICATION_EVENTS)).max(NOTIFICATION_EVENTS.length),
  enabled: z.boolean().default(true),
  /** Required when creating; blank on edit keeps the stored URL (it is never shown again). */
  url: z.preprocess(blankToUndefined, webhookUrlSchema.optional()),
  /** Blank keeps the stored secret; "remove" drops it. */
  secret: z.preprocess(blankToUndefined, z.string().min(16, "a signing secret has at least 16 characters").max(256).optional()),
  removeSecret: z.boolean().default(false),
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;
