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
import { createBoundedCache } from "@/lib/data/bounded-cache";

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
//
// The result is kept per process until the project's history version moves (HistoryVersion,
// bumped by triggers on Build, SmokeResult and Variant: migration 20261203060000), so a chart
// viewed again costs one primary-key read; the version is read before the query, so a change
// that lands while it runs makes the next view query again.
export const findSizeHistory = async (
  projectId: string,
  options: { since?: Date | null; variantIds?: string[] | null } = {},
): Promise<HistoryPoint[]> => {
  const since = options.since ?? null;
  const key = [projectId, since?.toISOString() ?? "all", ...(options.variantIds ?? []).toSorted()].join("|");
  const version = (await db.historyVersion.findUnique({ where: { projectId }, select: { version: true } }))?.version ?? BigInt(0);
  const kept = historyCache.get(key);
  if (kept?.version === version) return [...kept.points];
  const points = await querySizeHistory(projectId, { since, variantIds: options.variantIds });
  historyCache.set(key, { version, points });
  return [...points];
};

const historyCache = createBoundedCache<{ version: bigint; points: HistoryPoint[] }>(200);

const querySizeHistory = async (projectId: string, options: { since: Date | null; variantIds?: string[] | null }): Promise<HistoryPoint[]> => {
  // Build timestamps are `timestamp(3)` holding UTC; an ISO string cast to timestamp drops the Z.
  const since = options.since ? Prisma.sql`AND b."finishedAt" >= ${options.since.toISOString()}::timestamp` : Prisma.empty;
  const variants = options.variantIds?.length ? Prisma.sql`AND b."variantId" IN (${Prisma.join(options.variantIds)})` : Prisma.empty;
  // Ranking runs on narrow rows (id, time, size, duration, flag) with hash aggregates, no
  // window sorts: sorting 100,000 full rows spilled to disk. Only the picked ids are joined back.
  const rows = await db.$queryRaw<Array<HistoryRowRaw & { budget: bigint | number | null }>>`
    WITH points AS (
      SELECT b.id, b."variantId", (extract(epoch FROM b."finishedAt") * 1000)::bigint AS at, b."totalSize" AS size, b."durationMs" AS duration,
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
      SELECT "variantId", count(*) AS n, count(*) FILTER (WHERE flag <> 0) AS flagged, min(at) AS at_first, max(at) AS at_last
      FROM points GROUP BY "variantId"
    ), bucketed AS (
      SELECT p.*, s.n, s.flagged, s.at_first, s.at_last, (${HISTORY_BUCKETS}::bigint * (p.at - s.at_first)) / (s.at_last - s.at_first + 1) AS bucket
      FROM points p JOIN series s USING ("variantId")
    ), groups AS (
      SELECT "variantId", bucket, flag, min(size) AS size_min, max(size) AS size_max, min(duration) AS duration_min, max(duration) AS duration_max, max(at) AS at_latest
      FROM bucketed WHERE n > ${HISTORY_POINTS_PER_SERIES}
      GROUP BY "variantId", bucket, flag
    ), candidates AS (
      SELECT k.id, k."variantId", k.bucket, k.flag, k.at, pick.kind
      FROM bucketed k
      JOIN groups g USING ("variantId", bucket, flag)
      CROSS JOIN LATERAL (VALUES
        (1, k.flag = 0 AND k.size = g.size_min),
        (2, k.size = g.size_max AND (k.flag = 0 OR k.flagged > ${FLAGGED_KEPT})),
        (3, k.flag = 0 AND k.duration = g.duration_min),
        (4, k.flag = 0 AND k.duration = g.duration_max),
        (5, k.flag <> 0 AND k.flagged > ${FLAGGED_KEPT} AND k.at = g.at_latest),
        (6, k.at = k.at_first OR k.at = k.at_last),
        (7, k.flag <> 0 AND k.flagged <= ${FLAGGED_KEPT})
      ) AS pick(kind, hit)
      -- The cheap test first, so that only the few matching rows are tried against each pick.
      WHERE (k.size IN (g.size_min, g.size_max) OR k.duration IN (g.duration_min, g.duration_max)
             OR k.at IN (g.at_latest, k.at_first, k.at_last) OR (k.flag <> 0 AND k.flagged <= ${FLAGGED_KEPT}))
        AND pick.hit
    ), picked AS (
      SELECT id FROM bucketed WHERE n <= ${HISTORY_POINTS_PER_SERIES}
      UNION
      -- Ties (identical sizes are common: cached rebuilds) keep one point, the earliest.
      SELECT id FROM (
        SELECT id, kind, row_number() OVER (PARTITION BY "variantId", bucket, flag, kind ORDER BY at, id) AS tie FROM candidates
      ) t WHERE kind = 7 OR tie = 1 OR (kind = 6 AND tie <= 2)
    )
    SELECT b.id AS "buildId", b."variantId", b."finishedAt", b."totalSize", b."durationMs", b.status::text AS status, s.runs, b."contextRevision",
           v."sizeBudgetBytes" AS budget
    FROM picked
    JOIN "Build" b ON b.id = picked.id
    JOIN "Variant" v ON v.id = b."variantId"
    LEFT JOIN "SmokeResult" s ON s."buildId" = b.id
    ORDER BY b."finishedAt" ASC, b.id ASC`;
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
  /** Of buildsLastDay (queued in the last 24 h): those that succeeded, so a tile's subtitle covers its own period. */
  succeededLastDay: number;
  failuresLastWeek: number;
  doesNotRunLastWeek: number;
};

export const getOverviewCounts = async (now: Date = new Date()): Promise<OverviewCounts> => {
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600_000);
  const [projects, variants, grouped, buildsLastDay, failuresLastWeek, doesNotRunLastWeek] = await Promise.all([
    db.project.count({ where: { archivedAt: null } }),
    db.variant.count({ where: { archivedAt: null, project: { archivedAt: null } } }),
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
