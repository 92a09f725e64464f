// What /api/metrics reports, read from Postgres at scrape time: the same numbers whichever
// web process answers and however many workers run builds, and they survive restarts.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { toNumber } from "@/lib/data/mappers";
import { FINISHED_STATUSES } from "@/lib/types";

/** Metric labels of a variant: its project's slug and its name (unique per project). */
export type VariantLabels = { project: string; variant: string };

export type DurationSeries = VariantLabels & {
  outcome: string;
  /** Cumulative: how many took at most each bound of `boundsSeconds`. */
  bucketCounts: number[];
  count: number;
  sumSeconds: number;
};
export type DurationHistogram = { name: string; help: string; boundsSeconds: number[]; series: DurationSeries[] };

export type MetricsSnapshot = {
  variants: VariantLabels[];
  /** Finished builds (they never change again), by final status. */
  finishedBuilds: Array<VariantLabels & { status: string; count: number }>;
  queued: number;
  running: number;
  oldestQueuedAt: Date | null;
  workersAlive: number;
  /** The newest successful build of each variant that has one. */
  latestImages: Array<VariantLabels & { bytes: number; runs: boolean | null }>;
  smokeRuns: Array<VariantLabels & { runs: boolean; count: number }>;
  durations: DurationHistogram[];
};

/**
 * Duration histograms, each from a query giving project, variant, outcome and ms per row.
 * Cumulative over every recorded row (what Prometheus' rate() and histogram_quantile()
 * expect, across restarts and processes), not a sliding window: rows only ever arrive.
 * A new one (content analysis, once its table is on main) is one more entry here.
 */
const DURATION_SOURCES: Array<{ name: string; help: string; boundsSeconds: number[]; rows: Prisma.Sql }> = [
  {
    name: "layerboard_build_duration_seconds",
    help: "Build time (started → finished) of succeeded and failed builds, as recorded in Postgres.",
    boundsSeconds: [5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    rows: Prisma.sql`
      SELECT p.slug AS project, v.name AS variant, b.status::text AS outcome, b."durationMs" AS ms
      FROM "Build" b JOIN "Variant" v ON v.id = b."variantId" JOIN "Project" p ON p.id = v."projectId"
      WHERE b.status IN ('SUCCEEDED', 'FAILED') AND b."durationMs" IS NOT NULL`,
  },
];

type Numeric = bigint | number | string;
type DurationRaw = { project: string; variant: string; outcome: string; count: Numeric; sum_ms: Numeric; buckets: Numeric[] };

const findDurationHistogram = async (source: (typeof DURATION_SOURCES)[number]): Promise<DurationHistogram> => {
  const bucketColumns = Prisma.join(source.boundsSeconds.map((seconds) => Prisma.sql`count(*) FILTER (WHERE d.ms <= ${seconds * 1000})`));
  const rows = await db.$queryRaw<DurationRaw[]>`
    SELECT d.project, d.variant, d.outcome, count(*) AS count, coalesce(sum(d.ms), 0)::float8 AS sum_ms,
           ARRAY[${bucketColumns}]::bigint[] AS buckets
    FROM (${source.rows}) d
    GROUP BY d.project, d.variant, d.outcome
    ORDER BY d.project, d.variant, d.outcome`;
  return {
    name: source.name,
    help: source.help,
    boundsSeconds: source.boundsSeconds,
    series: rows.map((row) => ({
      project: row.project,
      variant: row.variant,
      outcome: row.outcome,
      count: toNumber(row.count),
      sumSeconds: toNumber(row.sum_ms) / 1000,
      bucketCounts: row.buckets.map((value) => toNumber(value)),
    })),
  };
};

type CountRaw = VariantLabels & { status: string; count: Numeric };
type ActiveRaw = { status: string; count: Numeric; oldest: Date | null };
type ImageRaw = VariantLabels & { bytes: Numeric; runs: boolean | null };
type SmokeRaw = VariantLabels & { runs: boolean; count: Numeric };

export const getMetricsSnapshot = async (options: { heartbeatTimeoutS: number; now?: Date }): Promise<MetricsSnapshot> => {
  const now = options.now ?? new Date();
  const aliveSince = new Date(now.getTime() - options.heartbeatTimeoutS * 1000);
  const [variants, finished, active, workersAlive, images, smoke, durations] = await Promise.all([
    db.$queryRaw<VariantLabels[]>`
      SELECT p.slug AS project, v.name AS variant FROM "Variant" v JOIN "Project" p ON p.id = v."projectId" ORDER BY p.slug, v.name`,
    db.$queryRaw<CountRaw[]>`
      SELECT p.slug AS project, v.name AS variant, b.status::text AS status, count(*) AS count
      FROM "Build" b JOIN "Variant" v ON v.id = b."variantId" JOIN "Project" p ON p.id = v."projectId"
      WHERE b.status::text IN (${Prisma.join([...FINISHED_STATUSES])})
      GROUP BY p.slug, v.name, b.status`,
    db.$queryRaw<ActiveRaw[]>`
      SELECT status::text AS status, count(*) AS count, min("queuedAt") AS oldest
      FROM "Build" WHERE status IN ('QUEUED', 'RUNNING') GROUP BY status`,
    db.worker.count({ where: { stoppedAt: null, heartbeatAt: { gte: aliveSince } } }),
    // Newest first through the ("variantId", "finishedAt") index, one row per variant.
    db.$queryRaw<ImageRaw[]>`
      SELECT p.slug AS project, v.name AS variant, l."totalSize" AS bytes, s.runs
      FROM "Variant" v JOIN "Project" p ON p.id = v."projectId"
      CROSS JOIN LATERAL (
        SELECT b.id, b."totalSize" FROM "Build" b
        WHERE b."variantId" = v.id AND b.status = 'SUCCEEDED' AND b."totalSize" IS NOT NULL AND b."finishedAt" IS NOT NULL
        ORDER BY b."finishedAt" DESC LIMIT 1
      ) l
      LEFT JOIN "SmokeResult" s ON s."buildId" = l.id`,
    db.$queryRaw<SmokeRaw[]>`
      SELECT p.slug AS project, v.name AS variant, s.runs, count(*) AS count
      FROM "SmokeResult" s JOIN "Build" b ON b.id = s."buildId" JOIN "Variant" v ON v.id = b."variantId" JOIN "Project" p ON p.id = v."projectId"
      GROUP BY p.slug, v.name, s.runs`,
    Promise.all(DURATION_SOURCES.map(findDurationHistogram)),
  ]);
  const queued = active.find((row) => row.status === "QUEUED");
  const running = active.find((row) => row.status === "RUNNING");
  return {
    variants: variants.map(({ project, variant }) => ({ project, variant })),
    finishedBuilds: finished.map((row) => ({ project: row.project, variant: row.variant, status: row.status, count: toNumber(row.count) })),
    queued: queued ? toNumber(queued.count) : 0,
    running: running ? toNumber(running.count) : 0,
    oldestQueuedAt: queued?.oldest ? new Date(queued.oldest) : null,
    workersAlive,
    latestImages: images.map((row) => ({ project: row.project, variant: row.variant, bytes: toNumber(row.bytes), runs: row.runs })),
    smokeRuns: smoke.map((row) => ({ project: row.project, variant: row.variant, runs: row.runs, count: toNumber(row.count) })),
    durations,
  };
};
