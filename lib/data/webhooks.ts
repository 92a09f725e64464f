// A project's outgoing webhooks and their delivery log. URL and signing secret arrive sealed
// (lib/notifications/secret-box.ts) and leave only to the sender, never in a DTO.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export type WebhookDto = {
  id: string;
  projectId: string;
  name: string;
  format: string;
  events: string[];
  urlHint: string;
  hasSecret: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
};

export type WebhookDeliveryDto = {
  id: string;
  deliveryId: string;
  event: string;
  buildId: string | null;
  attempt: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: string;
};

/** Attempts kept per webhook (older rows are deleted as new ones come). */
export const WEBHOOK_LOG_ROWS = 50;
/** Webhooks per project. */
export const MAX_WEBHOOKS_PER_PROJECT = 20;

type Row = { id: string; projectId: string; name: string; format: string; events: string[]; urlHint: string; secretCiphertext: string | null; enabled: boolean; createdAt: Date; updatedAt: Date };

const toDto = (row: Row): WebhookDto => ({
  id: row.id,
  projectId: row.projectId,
  name: row.name,
  format: row.format,
  events: row.events,
  urlHint: row.urlHint,
  hasSecret: !!row.secretCiphertext,
  enabled: row.enabled,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export type WebhookWrite = {
  name: string;
  format: string;
  events: string[];
  enabled: boolean;
  /** Sealed; undefined keeps the stored one (an edit never needs the secret back). */
  urlCiphertext?: string;
  urlHint?: string;
  /** Sealed; undefined keeps, null removes. */
  secretCiphertext?: string | null;
};

export const findWebhooks = async (projectId: string): Promise<WebhookDto[]> =>
  (await db.webhook.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } })).map(toDto);

export const createWebhook = async (projectId: string, input: WebhookWrite & { urlCiphertext: string; urlHint: string }): Promise<WebhookDto> => {
  if ((await db.webhook.count({ where: { projectId } })) >= MAX_WEBHOOKS_PER_PROJECT)
    throw new AppError("CONFLICT", `a project has at most ${MAX_WEBHOOKS_PER_PROJECT} webhooks`);
  return toDto(await db.webhook.create({ data: { projectId, ...input } }));
};

export const updateWebhook = async (id: string, input: WebhookWrite): Promise<WebhookDto> => {
  const found = await db.webhook.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw new AppError("NOT_FOUND", `webhook ${id} not found`);
  return toDto(await db.webhook.update({ where: { id }, data: input }));
};

export const deleteWebhook = async (id: string): Promise<void> => {
  const { count } = await db.webhook.deleteMany({ where: { id } });
  if (!count) throw new AppError("NOT_FOUND", `webhook ${id} not found`);
};

/** The webhooks of a project that are on and subscribed to `event`, with what the sender needs. */
export const findSubscribedWebhooks = (projectId: string, event: string) =>
  db.webhook.findMany({ where: { projectId, enabled: true, events: { has: event } }, select: { id: true } });

/** What the sender needs; null when the webhook was deleted meanwhile. */
export const findWebhookForDelivery = (id: string) =>
  db.webhook.findUnique({ where: { id }, select: { id: true, projectId: true, format: true, urlCiphertext: true, secretCiphertext: true, enabled: true } });

export const getWebhookProject = async (id: string): Promise<string> => {
  const row = await db.webhook.findUnique({ where: { id }, select: { projectId: true } });
  if (!row) throw new AppError("NOT_FOUND", `webhook ${id} not found`);
  return row.projectId;
};

export const recordWebhookDelivery = async (input: Omit<WebhookDeliveryDto, "id" | "at"> & { webhookId: string }): Promise<void> => {
  await db.webhookDelivery.create({ data: { ...input, error: input.error?.slice(0, 1000) ?? null } });
  // Bounded: everything past the newest WEBHOOK_LOG_ROWS goes.
  const old = await db.webhookDelivery.findMany({ where: { webhookId: input.webhookId }, orderBy: { at: "desc" }, skip: WEBHOOK_LOG_ROWS, select: { id: true } });
  if (old.length) await db.webhookDelivery.deleteMany({ where: { id: { in: old.map((r) => r.id) } } });
};

export const findWebhookDeliveries = async (webhookId: string, limit = WEBHOOK_LOG_ROWS): Promise<WebhookDeliveryDto[]> =>
  (await db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { at: "desc" }, take: limit })).map((r) => ({
    id: r.id,
    deliveryId: r.deliveryId,
    event: r.event,
    buildId: r.buildId,
    attempt: r.attempt,
    ok: r.ok,
    statusCode: r.statusCode,
    error: r.error,
    durationMs: r.durationMs,
    at: r.at.toISOString(),
  }));

/** What a notification says about a finished build. */
export const findBuildForNotification = (buildId: string) =>
  db.build.findUnique({
    where: { id: buildId },
    select: {
      id: true,
      status: true,
      queuedAt: true,
      variantId: true,
      errorCode: true,
      error: true,
      totalSize: true,
      compressedSize: true,
      smoke: { select: { runs: true } },
      project: { select: { id: true, slug: true, name: true } },
      variant: { select: { id: true, name: true, sizeBudgetBytes: true, regressionThresholdPct: true, budgetBasis: true } },
    },
  });
