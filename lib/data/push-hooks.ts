// A project's incoming push hook, branch poll and push delivery log (issue 15, docs/push.md).
// The hook secret arrives sealed and leaves only to the verifier, never in a DTO.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export type PushHookDto = { id: string; projectId: string; branch: string | null; createdAt: string; rotatedAt: string };

export type PushPollDto = {
  projectId: string;
  branch: string;
  intervalSeconds: number;
  enabled: boolean;
  lastSeenSha: string | null;
  lastCheckedAt: string | null;
  nextCheckAt: string;
  lastError: string | null;
};

export type PushDeliveryDto = {
  id: string;
  source: string;
  deliveryId: string;
  ref: string | null;
  commitSha: string | null;
  outcome: "processing" | "queued" | "ignored" | "failed";
  message: string;
  comparisonId: string | null;
  receivedAt: string;
};

/** Deliveries kept per project; a replay of an older delivery id is no longer recognised. */
export const PUSH_DELIVERY_ROWS = 200;

type HookRow = { id: string; projectId: string; branch: string | null; createdAt: Date; rotatedAt: Date };
const toHookDto = (row: HookRow): PushHookDto => ({
  id: row.id,
  projectId: row.projectId,
  branch: row.branch,
  createdAt: row.createdAt.toISOString(),
  rotatedAt: row.rotatedAt.toISOString(),
});

export const findPushHook = async (projectId: string): Promise<PushHookDto | null> => {
  const row = await db.pushHook.findUnique({ where: { projectId } });
  return row ? toHookDto(row) : null;
};

/** What the verifier needs; null when the project has no hook. */
export const findPushHookSecret = (projectId: string) =>
  db.pushHook.findUnique({ where: { projectId }, select: { id: true, secretCiphertext: true, secretHash: true, branch: true } });

/** Creates the hook, or replaces its secret (rotation: the old secret stops working at once). */
export const savePushHookSecret = async (projectId: string, sealed: { secretCiphertext: string; secretHash: string }): Promise<PushHookDto> =>
  toHookDto(
    await db.pushHook.upsert({
      where: { projectId },
      create: { projectId, ...sealed },
      update: { ...sealed, rotatedAt: new Date() },
    }),
  );

export const updatePushHookBranch = async (projectId: string, branch: string | null): Promise<PushHookDto> => {
  const { count } = await db.pushHook.updateMany({ where: { projectId }, data: { branch } });
  if (!count) throw new AppError("NOT_FOUND", "this project has no push hook");
  return (await findPushHook(projectId))!;
};

export const deletePushHook = async (projectId: string): Promise<void> => {
  const { count } = await db.pushHook.deleteMany({ where: { projectId } });
  if (!count) throw new AppError("NOT_FOUND", "this project has no push hook");
};

// ---- deliveries ----

const toDeliveryDto = (r: {
  id: string;
  source: string;
  deliveryId: string;
  ref: string | null;
  commitSha: string | null;
  outcome: string;
  message: string;
  comparisonId: string | null;
  receivedAt: Date;
}): PushDeliveryDto => ({ ...r, outcome: r.outcome as PushDeliveryDto["outcome"], receivedAt: r.receivedAt.toISOString() });

export type PushDeliveryClaim = { claimed: true; id: string } | { claimed: false; existing: PushDeliveryDto };

/**
 * Records a delivery as "processing", once per (project, delivery id): the unique index decides
 * between two racing copies. A delivery seen before is not claimed again, unless it failed (a
 * redelivery after a failure is a retry).
 */
export const claimPushDelivery = async (input: {
  projectId: string;
  source: string;
  deliveryId: string;
  ref: string | null;
  commitSha: string | null;
}): Promise<PushDeliveryClaim> => {
  try {
    const row = await db.pushDelivery.create({ data: { ...input, outcome: "processing" }, select: { id: true } });
    await trimPushDeliveries(input.projectId);
    return { claimed: true, id: row.id };
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
  }
  const where = { projectId_deliveryId: { projectId: input.projectId, deliveryId: input.deliveryId } };
  const retried = await db.pushDelivery.updateMany({
    where: { projectId: input.projectId, deliveryId: input.deliveryId, outcome: "failed" },
    data: { outcome: "processing", message: "", receivedAt: new Date(), ref: input.ref, commitSha: input.commitSha },
  });
  const row = await db.pushDelivery.findUniqueOrThrow({ where });
  return retried.count ? { claimed: true, id: row.id } : { claimed: false, existing: toDeliveryDto(row) };
};

/** A delivery that is recorded without being claimed for a build (an ignored push). */
export const recordIgnoredPushDelivery = async (input: {
  projectId: string;
  source: string;
  deliveryId: string;
  ref: string | null;
  commitSha: string | null;
  message: string;
}): Promise<"recorded" | "replayed"> => {
  try {
    await db.pushDelivery.create({ data: { ...input, outcome: "ignored", message: input.message.slice(0, 500) } });
    await trimPushDeliveries(input.projectId);
    return "recorded";
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return "replayed";
    throw error;
  }
};

export const finishPushDelivery = async (id: string, result: { outcome: "queued" | "failed"; message: string; comparisonId?: string | null }) => {
  await db.pushDelivery.update({ where: { id }, data: { outcome: result.outcome, message: result.message.slice(0, 500), comparisonId: result.comparisonId ?? null } });
};

const trimPushDeliveries = async (projectId: string) => {
  const old = await db.pushDelivery.findMany({ where: { projectId }, orderBy: { receivedAt: "desc" }, skip: PUSH_DELIVERY_ROWS, select: { id: true } });
  if (old.length) await db.pushDelivery.deleteMany({ where: { id: { in: old.map((r) => r.id) } } });
};

export const findPushDeliveries = async (projectId: string, limit = 20): Promise<PushDeliveryDto[]> =>
  (await db.pushDelivery.findMany({ where: { projectId }, orderBy: { receivedAt: "desc" }, take: Math.min(limit, PUSH_DELIVERY_ROWS) })).map(toDeliveryDto);

// ---- polling ----

type PollRow = {
  projectId: string;
  branch: string;
  intervalSeconds: number;
  enabled: boolean;
  lastSeenSha: string | null;
  lastCheckedAt: Date | null;
  nextCheckAt: Date;
  lastError: string | null;
};
const toPollDto = (r: PollRow): PushPollDto => ({
  projectId: r.projectId,
  branch: r.branch,
  intervalSeconds: r.intervalSeconds,
  enabled: r.enabled,
  lastSeenSha: r.lastSeenSha,
  lastCheckedAt: r.lastCheckedAt?.toISOString() ?? null,
  nextCheckAt: r.nextCheckAt.toISOString(),
  lastError: r.lastError,
});

export const findPushPoll = async (projectId: string): Promise<PushPollDto | null> => {
  const row = await db.pushPoll.findUnique({ where: { projectId } });
  return row ? toPollDto(row) : null;
};

/** Saves the poll settings; a changed branch forgets the head seen on the old one. */
export const savePushPoll = async (projectId: string, input: { branch: string; intervalSeconds: number; enabled: boolean }): Promise<PushPollDto> => {
  const current = await db.pushPoll.findUnique({ where: { projectId }, select: { branch: true } });
  const reset = current && current.branch !== input.branch ? { lastSeenSha: null, lastError: null } : {};
  return toPollDto(
    await db.pushPoll.upsert({
      where: { projectId },
      create: { projectId, ...input, nextCheckAt: new Date() },
      update: { ...input, ...reset, nextCheckAt: new Date() },
    }),
  );
};

export const deletePushPoll = async (projectId: string): Promise<void> => {
  await db.pushPoll.deleteMany({ where: { projectId } });
};

/**
 * Takes the polls that are due, pushing each one's next check forward in the same statement so
 * that two workers never check one branch at once (FOR UPDATE SKIP LOCKED).
 */
export const claimDuePushPolls = async (limit: number): Promise<Array<PushPollDto & { gitUrl: string | null }>> => {
  const rows = await db.$queryRaw<Array<PollRow & { gitUrl: string | null }>>`
    WITH due AS (
      SELECT "projectId" FROM "PushPoll"
      WHERE "enabled" AND "nextCheckAt" <= now()
      ORDER BY "nextCheckAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "PushPoll" p SET "nextCheckAt" = now() + make_interval(secs => p."intervalSeconds"), "lastCheckedAt" = now()
    FROM due, "Project" pr
    WHERE p."projectId" = due."projectId" AND pr."id" = p."projectId"
    RETURNING p."projectId", p."branch", p."intervalSeconds", p."enabled", p."lastSeenSha", p."lastCheckedAt", p."nextCheckAt", p."lastError", pr."gitUrl"`;
  return rows.map((r) => ({ ...toPollDto(r), gitUrl: r.gitUrl }));
};

/** Moves the seen head only from the value the poller read (a concurrent save wins). */
export const recordPushPollResult = async (projectId: string, result: { fromSha: string | null; seenSha: string | null; error: string | null }) => {
  await db.pushPoll.updateMany({
    where: { projectId, lastSeenSha: result.fromSha },
    data: { ...(result.seenSha ? { lastSeenSha: result.seenSha } : {}), lastError: result.error?.slice(0, 500) ?? null },
  });
};
