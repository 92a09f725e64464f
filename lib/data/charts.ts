// Chart data aggregated in Postgres: size/duration history, the latest sizes behind the
// overview sparklines, and overview counts. Every query is bounded (history downsampled per
// variant, latest sizes by a per-variant LIMIT), so a project with years of builds never loads them all into memory.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { toNumber } from "@/lib/data/mappers";
import type { HistoryPoint } from "@/lib/history/shape-size-history";
import { downsampleHistory, FLAGGED_KEPT, HISTORY_BUCKETS, HISTORY_POINTS_PER_SERIES } from "@/lib/history/downsample-history";
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

// Every series bounded to HISTORY_POINTS_PER_SERIES points, whatever the length of the
// history (lib/history/downsample-history.ts is the spec): a series longer than the bound is cut
// into HISTORY_BUCKETS time buckets; each bucket keeps its smallest and largest size and
// duration, every failed / does-not-run / over-budget build is kept (up to FLAGGED_KEPT per
// series, else the last and the largest of each kind per bucket), and so are the first and
// last build. The selection runs here in Postgres, so the response does not grow with history.
export const findSizeHistory = async (
  projectId: string,
  options: { since?: Date | null; variantIds?: string[] | null } = {},
): Promise<HistoryPoint[]> => {
  // Build timestamps are `timestamp(3)` holding UTC; an ISO string cast to timestamp drops the Z.
  const since = options.since ? Prisma.sql`AND b."finishedAt" >= ${options.since.toISOString()}::timestamp` : Prisma.empty;
  const variants = options.variantIds?.length ? Prisma.sql`AND b."variantId" IN (${Prisma.join(options.variantIds)})` : Prisma.empty;
  const rows = await db.$queryRaw<Array<HistoryRowRaw & { budget: bigint | number | null }>>`
    WITH points AS (
      SELECT b.id AS "buildId", b."variantId", b."finishedAt", b."totalSize", b."durationMs",
             b.status::text AS status, s.runs, b."contextRevision", v."sizeBudgetBytes" AS budget,
             (extract(epoch FROM b."finishedAt") * 1000)::bigint AS at,
             CASE WHEN b.status <> 'SUCCEEDED' THEN 1
                  WHEN s.runs IS FALSE THEN 2
                  WHEN v."sizeBudgetBytes" IS NOT NULL AND b."totalSize" > v."sizeBudgetBytes" THEN 3
                  ELSE 0 END AS flag
      FROM "Build" b
      JOIN "Variant" v ON v.id = b."variantId"
      LEFT JOIN "SmokeResult" s ON s."buildId" = b.id
      WHERE b."projectId" = ${projectId}
        AND b."finishedAt" IS NOT NULL
        AND b.status::text IN (${Prisma.join(CHARTED_STATUSES)})
        ${since}
        ${variants}
    ), series AS (
      SELECT p.*, count(*) OVER w AS n, count(*) FILTER (WHERE flag <> 0) OVER w AS flagged,
             min(at) OVER w AS at_first, max(at) OVER w AS at_last
      FROM points p
      WINDOW w AS (PARTITION BY "variantId")
    ), bucketed AS (
      SELECT s.*, (${HISTORY_BUCKETS}::bigint * (at - at_first)) / (at_last - at_first + 1) AS bucket FROM series s
    ), ranked AS (
      SELECT k.*,
             row_number() OVER (PARTITION BY "variantId", bucket, flag ORDER BY "totalSize" ASC NULLS LAST, at, "buildId") AS size_min,
             row_number() OVER (PARTITION BY "variantId", bucket, flag ORDER BY "totalSize" DESC NULLS LAST, at, "buildId") AS size_max,
             row_number() OVER (PARTITION BY "variantId", bucket, flag ORDER BY "durationMs" ASC NULLS LAST, at, "buildId") AS duration_min,
             row_number() OVER (PARTITION BY "variantId", bucket, flag ORDER BY "durationMs" DESC NULLS LAST, at, "buildId") AS duration_max,
             row_number() OVER (PARTITION BY "variantId", bucket, flag ORDER BY at DESC, "buildId" DESC) AS latest
      FROM bucketed k
      WHERE n > ${HISTORY_POINTS_PER_SERIES}
    )
    SELECT "buildId", "variantId", "finishedAt", "totalSize", "durationMs", status, runs, "contextRevision", budget
    FROM series WHERE n <= ${HISTORY_POINTS_PER_SERIES}
    UNION ALL
    SELECT "buildId", "variantId", "finishedAt", "totalSize", "durationMs", status, runs, "contextRevision", budget
    FROM ranked
    WHERE at = at_first OR at = at_last
       OR (flag = 0 AND (
             (size_min = 1 AND "totalSize" IS NOT NULL) OR (size_max = 1 AND "totalSize" IS NOT NULL)
          OR (duration_min = 1 AND "durationMs" IS NOT NULL) OR (duration_max = 1 AND "durationMs" IS NOT NULL)))
       OR (flag <> 0 AND flagged <= ${FLAGGED_KEPT})
       OR (flag <> 0 AND flagged > ${FLAGGED_KEPT} AND (latest = 1 OR (size_max = 1 AND "totalSize" IS NOT NULL)))
    ORDER BY "finishedAt" ASC, "buildId" ASC`;
  const budgets = new Map(rows.map((row) => [row.variantId, row.budget === null ? null : toNumber(row.budget)]));
  // The same selection in JS on what Postgres kept: a no-op when both agree, the bound either way.
  return downsampleHistory(rows.map(toPoint), budgets).points;
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
  const byStatus: Record<BuildStatus, number> = { QUEUED: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0, INTERRUPTED: 0 };
  for (const row of grouped) byStatus[row.status] = row._count._all;
  return { projects, variants, byStatus, buildsLastDay, failuresLastWeek, doesNotRunLastWeek };
};
