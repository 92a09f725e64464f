// Backfills (issue 15): "build the last N commits of <branch>", one record with an item per
// commit × variant. All state is here, so a backfill survives a restart: the workers plan it
// and feed its items to the build queue (lib/builds/backfill-work.ts), a few at a time.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { BackfillItemStatus, BackfillStatus } from "@/lib/generated/prisma/client";

export type { BackfillItemStatus, BackfillStatus };

/** The one written-down table of backfill moves; every write below is conditional on it. */
export const BACKFILL_TRANSITIONS: Record<BackfillStatus, readonly BackfillStatus[]> = {
  PLANNING: ["RUNNING", "PAUSED", "CANCELLED", "FAILED"],
  RUNNING: ["PAUSED", "CANCELLED", "DONE", "FAILED"],
  PAUSED: ["RUNNING", "CANCELLED"],
  CANCELLED: [],
  DONE: [],
  FAILED: [],
};

const from = (to: BackfillStatus) =>
  (Object.keys(BACKFILL_TRANSITIONS) as BackfillStatus[]).filter((s) => BACKFILL_TRANSITIONS[s].includes(to));

export type BackfillProgress = {
  total: number;
  /** Built (any outcome) or skipped: what no longer waits. */
  done: number;
  built: number;
  skipped: number;
  failed: number;
  /** Waiting or building. */
  queued: number;
  building: number;
  cancelled: number;
};

export type BackfillItemDto = {
  id: string;
  position: number;
  sha: string;
  subject: string | null;
  variantId: string;
  variantName: string;
  status: BackfillItemStatus;
  buildId: string | null;
  skippedFor: string | null;
  error: string | null;
};

export type BackfillDto = {
  id: string;
  projectId: string;
  branch: string;
  count: number;
  status: BackfillStatus;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  progress: BackfillProgress;
};

export type BackfillDetailDto = BackfillDto & { items: BackfillItemDto[] };

type BackfillRow = { id: string; projectId: string; branch: string; count: number; status: BackfillStatus; error: string | null; createdAt: Date; updatedAt: Date; finishedAt: Date | null };

const progressOf = (counts: Partial<Record<BackfillItemStatus, number>>): BackfillProgress => {
  const n = (s: BackfillItemStatus) => counts[s] ?? 0;
  const built = n("DONE");
  const failed = n("FAILED");
  const skipped = n("SKIPPED");
  return {
    total: built + failed + skipped + n("PENDING") + n("BUILDING") + n("CANCELLED"),
    done: built + failed + skipped,
    built,
    skipped,
    failed,
    queued: n("PENDING") + n("BUILDING"),
    building: n("BUILDING"),
    cancelled: n("CANCELLED"),
  };
};

const countItems = async (backfillIds: string[]) => {
  const rows = backfillIds.length
    ? await db.backfillItem.groupBy({ by: ["backfillId", "status"], where: { backfillId: { in: backfillIds } }, _count: { _all: true } })
    : [];
  const byId = new Map<string, Partial<Record<BackfillItemStatus, number>>>();
  for (const row of rows) byId.set(row.backfillId, { ...byId.get(row.backfillId), [row.status]: row._count._all });
  return byId;
};

const toDto = (row: BackfillRow, counts: Partial<Record<BackfillItemStatus, number>> = {}): BackfillDto => ({
  id: row.id,
  projectId: row.projectId,
  branch: row.branch,
  count: row.count,
  status: row.status,
  error: row.error,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
  progress: progressOf(counts),
});

export const createBackfill = async (input: { projectId: string; branch: string; count: number; createdById: string | null }): Promise<BackfillDto> =>
  toDto(await db.backfill.create({ data: { ...input, status: "PLANNING" } }));

/** A backfill with every item (at most cap × variants rows), oldest commit first. */
export const getBackfill = async (id: string): Promise<BackfillDetailDto> => {
  const row = await db.backfill.findUnique({
    where: { id },
    include: { items: { orderBy: [{ position: "asc" }, { variant: { position: "asc" } }], include: { variant: { select: { name: true } } } } },
  });
  if (!row) throw new AppError("NOT_FOUND", `backfill ${id} not found`);
  const commits = await db.commit.findMany({
    where: { projectId: row.projectId, sha: { in: [...new Set(row.items.map((i) => i.sha))] } },
    select: { sha: true, subject: true },
  });
  const subjects = new Map(commits.map((c) => [c.sha, c.subject]));
  const counts: Partial<Record<BackfillItemStatus, number>> = {};
  for (const item of row.items) counts[item.status] = (counts[item.status] ?? 0) + 1;
  return {
    ...toDto(row, counts),
    items: row.items.map((item) => ({
      id: item.id,
      position: item.position,
      sha: item.sha,
      subject: subjects.get(item.sha) ?? null,
      variantId: item.variantId,
      variantName: item.variant.name,
      status: item.status,
      buildId: item.buildId,
      skippedFor: item.skippedFor,
      error: item.error,
    })),
  };
};

/** The project's latest backfills, newest first, with their progress. */
export const findBackfills = async (projectId: string, limit = 5): Promise<BackfillDto[]> => {
  const rows = await db.backfill.findMany({ where: { projectId }, orderBy: { createdAt: "desc" }, take: Math.min(limit, 50) });
  const counts = await countItems(rows.map((r) => r.id));
  return rows.map((row) => toDto(row, counts.get(row.id)));
};

/** Moves a backfill to `to` if the table allows it from where it is; whether it moved. */
export const moveBackfill = async (id: string, to: BackfillStatus, fields: { error?: string | null } = {}): Promise<boolean> => {
  const final = to === "DONE" || to === "FAILED" || to === "CANCELLED";
  const { count } = await db.backfill.updateMany({
    where: { id, status: { in: from(to) } },
    data: { status: to, ...(final ? { finishedAt: new Date() } : {}), ...(fields.error !== undefined ? { error: fields.error } : {}) },
  });
  return count > 0;
};

/**
 * A person's pause / resume / cancel. Cancelling also cancels the items not started; the
 * builds of the items under way are returned for the caller to cancel. CONFLICT when the
 * backfill's status does not allow the move.
 */
export const changeBackfillStatus = async (id: string, to: "PAUSED" | "RUNNING" | "CANCELLED"): Promise<{ buildIds: string[] }> => {
  const row = await db.backfill.findUnique({ where: { id }, select: { status: true } });
  if (!row) throw new AppError("NOT_FOUND", `backfill ${id} not found`);
  // Resuming a backfill paused before it was planned sends it back to planning.
  const target: BackfillStatus = to === "RUNNING" && !(await db.backfillItem.count({ where: { backfillId: id } })) ? "PLANNING" : to;
  const moved = target === "PLANNING"
    ? (await db.backfill.updateMany({ where: { id, status: "PAUSED" }, data: { status: "PLANNING" } })).count > 0
    : await moveBackfill(id, target);
  if (!moved) throw new AppError("CONFLICT", `backfill ${id} is ${row.status.toLowerCase()}: it cannot be ${to === "RUNNING" ? "resumed" : to.toLowerCase()}`);
  if (to !== "CANCELLED") return { buildIds: [] };
  await db.backfillItem.updateMany({ where: { backfillId: id, status: "PENDING" }, data: { status: "CANCELLED" } });
  const building = await db.backfillItem.findMany({ where: { backfillId: id, status: "BUILDING", buildId: { not: null } }, select: { buildId: true } });
  return { buildIds: building.map((i) => i.buildId!) };
};

// ---- what the workers do (lib/builds/backfill-work.ts) ----

export const findBackfillsToPlan = (limit = 5) =>
  db.backfill.findMany({
    where: { status: "PLANNING" },
    orderBy: { createdAt: "asc" },
    take: limit,
    include: { project: { include: { variants: { orderBy: { position: "asc" } } } } },
  });

/** Writes the items (idempotent: two planners write the same rows) and starts the backfill. */
export const recordBackfillPlan = async (id: string, items: { position: number; sha: string; variantId: string }[]): Promise<boolean> => {
  await db.backfillItem.createMany({ data: items.map((item) => ({ ...item, backfillId: id })), skipDuplicates: true });
  // Only from PLANNING: a backfill paused or cancelled while it was planned stays so.
  const { count } = await db.backfill.updateMany({ where: { id, status: "PLANNING" }, data: { status: "RUNNING", error: null } });
  return count > 0;
};

export const findRunningBackfillIds = async (limit = 20): Promise<string[]> =>
  (await db.backfill.findMany({ where: { status: "RUNNING" }, orderBy: { createdAt: "asc" }, take: limit, select: { id: true } })).map((b) => b.id);

const STALE_CLAIM_MS = 120_000;

/**
 * Items whose build finished take its outcome (a failed build's error is the item's); an item
 * claimed by a worker that died before it queued a build goes back to PENDING.
 */
export const syncBackfillItems = async (): Promise<void> => {
  await db.$executeRaw`
    UPDATE "BackfillItem" i
    SET status = (CASE b.status::text WHEN 'SUCCEEDED' THEN 'DONE' WHEN 'CANCELLED' THEN 'CANCELLED' ELSE 'FAILED' END)::"BackfillItemStatus",
        error = CASE WHEN b.status::text = 'SUCCEEDED' THEN NULL ELSE left(coalesce(b.error, b.status::text), 2000) END,
        "updatedAt" = (now() AT TIME ZONE 'UTC')
    FROM "Build" b
    WHERE i."buildId" = b.id AND i.status = 'BUILDING' AND b.status::text IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED')`;
  await db.backfillItem.updateMany({
    where: { status: "BUILDING", buildId: null, updatedAt: { lt: new Date(Date.now() - STALE_CLAIM_MS) } },
    data: { status: "PENDING" },
  });
};

export const countBackfillItemsBuilding = (backfillId: string) => db.backfillItem.count({ where: { backfillId, status: "BUILDING" } });

/** Claims the oldest pending item (PENDING → BUILDING, conditional); null when none is left. */
export const claimNextBackfillItem = async (backfillId: string) => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const next = await db.backfillItem.findFirst({
      where: { backfillId, status: "PENDING" },
      orderBy: [{ position: "asc" }, { variant: { position: "asc" } }],
      include: { backfill: { select: { projectId: true, status: true } } },
    });
    if (!next || next.backfill.status !== "RUNNING") return null;
    const { count } = await db.backfillItem.updateMany({ where: { id: next.id, status: "PENDING" }, data: { status: "BUILDING" } });
    if (count) return next;
  }
  return null;
};

export const recordBackfillItem = (
  itemId: string,
  outcome: { buildId: string } | { skippedFor: string } | { error: string },
) =>
  db.backfillItem.update({
    where: { id: itemId },
    data:
      "buildId" in outcome
        ? { buildId: outcome.buildId }
        : "skippedFor" in outcome
          ? { status: "SKIPPED", skippedFor: outcome.skippedFor }
          : { status: "FAILED", error: outcome.error.slice(0, 2000) },
  });

/**
 * Builds of `variantId` at `sha` that count as "already built": finished (succeeded or failed:
 * a commit whose Dockerfile is missing fails the same way again) or under way. Cancelled and
 * interrupted builds do not count. Newest first, with their frozen settings.
 */
export const findBuildsAtCommit = (variantId: string, sha: string) =>
  db.build.findMany({
    where: { variantId, contextRevision: sha, status: { in: ["SUCCEEDED", "FAILED", "QUEUED", "RUNNING"] } },
    orderBy: { queuedAt: "desc" },
    take: 20,
    select: { id: true, settings: true },
  });

/** The comparison the other variants of this backfill's commit were queued in, if any. */
export const findBackfillCommitComparison = async (backfillId: string, sha: string): Promise<string | null> => {
  const items = await db.backfillItem.findMany({ where: { backfillId, sha, buildId: { not: null } }, select: { buildId: true } });
  if (!items.length) return null;
  const build = await db.build.findFirst({ where: { id: { in: items.map((i) => i.buildId!) }, comparisonId: { not: null } }, select: { comparisonId: true } });
  return build?.comparisonId ?? null;
};

/** RUNNING → DONE once no item waits or builds. */
export const finishBackfillIfDone = async (id: string): Promise<boolean> => {
  const open = await db.backfillItem.count({ where: { backfillId: id, status: { in: ["PENDING", "BUILDING"] } } });
  return open ? false : moveBackfill(id, "DONE");
};
