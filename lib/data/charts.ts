// Chart data aggregated in Postgres: size/duration history, the latest sizes behind the
// overview sparklines, and overview counts. Every query is bounded (per-variant LIMIT via
// row_number), so a project with years of builds never loads them all into memory.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { toNumber } from "@/lib/data/mappers";
import type { HistoryPoint } from "@/lib/history/shape-size-history";
import type { BuildStatus } from "@/lib/types";

// Raw rows as adapter-pg returns them: BIGINT/row_number come back as bigint, timestamps as Date.
type HistoryRowRaw = {
  buildId: string;
  variantId: string;
  finishedAt: Date;
  totalSize: bigint | number | null;
  durationMs: number | null;
  status: string;
  runs: boolean | null;
  contextRevision: string | null;
};

const toPoint = (row: HistoryRowRaw): HistoryPoint => ({
  buildId: row.buildId,
  variantId: row.variantId,
  finishedAt: new Date(row.finishedAt).toISOString(),
  totalSize: toNumber(row.totalSize),
  durationMs: row.durationMs,
  status: row.status as BuildStatus,
  runs: row.runs,
  contextRevision: row.contextRevision,
});

// Finished builds that say something about size or time: cancelled builds are left out.
const CHARTED_STATUSES = ["SUCCEEDED", "FAILED", "INTERRUPTED"];

export const findSizeHistory = async (
  projectId: string,
  options: { since?: Date | null; variantIds?: string[] | null; limitPerVariant?: number } = {},
): Promise<HistoryPoint[]> => {
  const limit = Math.max(1, Math.min(options.limitPerVariant ?? 500, 5000));
  // Build timestamps are `timestamp(3)` holding UTC; an ISO string cast to timestamp drops the Z.
  const since = options.since ? Prisma.sql`AND b."finishedAt" >= ${options.since.toISOString()}::timestamp` : Prisma.empty;
  const variants = options.variantIds?.length ? Prisma.sql`AND b."variantId" IN (${Prisma.join(options.variantIds)})` : Prisma.empty;
  const rows = await db.$queryRaw<HistoryRowRaw[]>`
    SELECT "buildId", "variantId", "finishedAt", "totalSize", "durationMs", status, runs, "contextRevision"
    FROM (
      SELECT b.id AS "buildId", b."variantId", b."finishedAt", b."totalSize", b."durationMs",
             b.status::text AS status, s.runs, b."contextRevision",
             row_number() OVER (PARTITION BY b."variantId" ORDER BY b."finishedAt" DESC) AS rn
      FROM "Build" b
      LEFT JOIN "SmokeResult" s ON s."buildId" = b.id
      WHERE b."projectId" = ${projectId}
        AND b."finishedAt" IS NOT NULL
        AND b.status::text IN (${Prisma.join(CHARTED_STATUSES)})
        ${since}
        ${variants}
    ) ranked
    WHERE rn <= ${limit}
    ORDER BY "finishedAt" ASC`;
  return rows.map(toPoint);
};

export type SparklinePoint = { buildId: string; finishedAt: string; totalSize: number; runs: boolean | null };
export type LatestSizes = Map<string, SparklinePoint[]>;

type LatestRowRaw = { variantId: string; buildId: string; finishedAt: Date; totalSize: bigint | number; runs: boolean | null };

// The last `perVariant` successful sizes of every variant (of one project, or all), oldest
// first; the last entry of each list is the variant's latest size.
export const findLatestSizes = async (options: { projectId?: string; perVariant?: number } = {}): Promise<LatestSizes> => {
  const perVariant = Math.max(1, Math.min(options.perVariant ?? 20, 200));
  const project = options.projectId ? Prisma.sql`WHERE v."projectId" = ${options.projectId}` : Prisma.empty;
  // Per variant, newest first through the ("variantId", "finishedAt") index: the cost does
  // not grow with history (bench:pages: 15 ms → 1.8 ms at 5,000 builds).
  const rows = await db.$queryRaw<LatestRowRaw[]>`
    SELECT l."variantId", l."buildId", l."finishedAt", l."totalSize", s.runs
    FROM "Variant" v
    CROSS JOIN LATERAL (
      SELECT b."variantId", b.id AS "buildId", b."finishedAt", b."totalSize" FROM "Build" b
      WHERE b."variantId" = v.id AND b.status = 'SUCCEEDED' AND b."totalSize" IS NOT NULL AND b."finishedAt" IS NOT NULL
      ORDER BY b."finishedAt" DESC
      LIMIT ${perVariant}
    ) l
    LEFT JOIN "SmokeResult" s ON s."buildId" = l."buildId"
    ${project}
    ORDER BY l."variantId", l."finishedAt" ASC`;
  const byVariant: LatestSizes = new Map();
  for (const row of rows) {
    const list = byVariant.get(row.variantId) ?? [];
    list.push({ buildId: row.buildId, finishedAt: new Date(row.finishedAt).toISOString(), totalSize: toNumber(row.totalSize), runs: row.runs });
    byVariant.set(row.variantId, list);
  }
  return byVariant;
};

export type OverviewCounts = {
  projects: number;
  variants: number;
  byStatus: Record<BuildStatus, number>;
  buildsLastDay: number;
  /** Of buildsLastDay (queued in the last 24 h): those that succeeded, so a tile's subtitle covers its own period. */
  succeededLastDay: number;
  failuresLastWeek: number;
  doesNotRunLastWeek: number;
};

export const getOverviewCounts = async (now: Date = new Date()): Promise<OverviewCounts> => {
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600_000);
  const [projects, variants, grouped, buildsLastDay, failuresLastWeek, doesNotRunLastWeek] = await Promise.all([
    db.project.count(),
    db.variant.count(),
    db.build.groupBy({ by: ["status"], _count: { _all: true } }),
    db.build.count({ where: { queuedAt: { gte: dayAgo } } }),
    db.build.count({ where: { status: { in: ["FAILED", "INTERRUPTED"] }, finishedAt: { gte: weekAgo } } }),
    db.build.count({ where: { status: "SUCCEEDED", finishedAt: { gte: weekAgo }, smoke: { is: { runs: false } } } }),
  ]);
  const succeededLastDay = await db.build.count({ where: { queuedAt: { gte: dayAgo }, status: "SUCCEEDED" } });
  const byStatus: Record<BuildStatus, number> = { QUEUED: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0, INTERRUPTED: 0 };
  for (const row of grouped) byStatus[row.status] = row._count._all;
  return { projects, variants, byStatus, buildsLastDay, succeededLastDay, failuresLastWeek, doesNotRunLastWeek };
};
