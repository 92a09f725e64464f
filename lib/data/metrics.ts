// What /api/metrics reports, read from Postgres at scrape time: the same numbers whichever
// web process answers and however many workers run builds, and they survive restarts.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { toNumber } from "@/lib/data/mappers";

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
 * Duration histograms, each from a query giving "variantId", outcome and ms per row (no joins:
 * labels are added from the variants list, which keeps the scan narrow).
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
      SELECT "variantId", status::text AS outcome, "durationMs" AS ms
      FROM "Build" WHERE status IN ('SUCCEEDED', 'FAILED') AND "durationMs" IS NOT NULL`,
  },
];

type Numeric = bigint | number | string;
type DurationRaw = { variantId: string; outcome: string; count: Numeric; sum_ms: Numeric; buckets: Numeric[] };
type VariantRow = VariantLabels & { id: string };
type LabelsOf = (variantId: string) => VariantLabels | undefined;

const findDurationHistogram = async (source: (typeof DURATION_SOURCES)[number], labelsOf: LabelsOf): Promise<DurationHistogram> => {
  const bucketColumns = Prisma.join(source.boundsSeconds.map((seconds) => Prisma.sql`count(*) FILTER (WHERE d.ms <= ${seconds * 1000})`));
  const rows = await db.$queryRaw<DurationRaw[]>`
    SELECT d."variantId", d.outcome, count(*) AS count, coalesce(sum(d.ms), 0)::float8 AS sum_ms,
           ARRAY[${bucketColumns}]::bigint[] AS buckets
    FROM (${source.rows}) d
    GROUP BY d."variantId", d.outcome`;
  return {
    name: source.name,
    help: source.help,
    boundsSeconds: source.boundsSeconds,
    series: rows.flatMap((row) => {
      const labels = labelsOf(row.variantId);
      return labels ? [{ ...labels, outcome: row.outcome, count: toNumber(row.count), sumSeconds: toNumber(row.sum_ms) / 1000, bucketCounts: row.buckets.map((value) => toNumber(value)) }] : [];
    }),
  };
};

type CountRaw = { variantId: string; status: string; count: Numeric };
type ActiveRaw = { status: string; count: Numeric; oldest: Date | null };
type ImageRaw = VariantLabels & { bytes: Numeric; runs: boolean | null };
type SmokeRaw = { variantId: string; runs: boolean; count: Numeric };

export const getMetricsSnapshot = async (options: { heartbeatTimeoutS: number; now?: Date }): Promise<MetricsSnapshot> => {
  const now = options.now ?? new Date();
  const aliveSince = new Date(now.getTime() - options.heartbeatTimeoutS * 1000);
  const variants = await db.$queryRaw<VariantRow[]>`
    SELECT v.id, p.slug AS project, v.name AS variant FROM "Variant" v JOIN "Project" p ON p.id = v."projectId" ORDER BY p.slug, v.name`;
  const byId = new Map(variants.map(({ id, project, variant }) => [id, { project, variant }]));
  const labelsOf: LabelsOf = (variantId) => byId.get(variantId);
  // Counted per variant id on the narrow rows alone, labelled afterwards: a join per build
  // row cost 3.5× as much (260 → 73 ms at 20,000 builds).
  const [finished, active, workersAlive, images, smoke, durations] = await Promise.all([
    db.$queryRaw<CountRaw[]>`
      SELECT "variantId", status::text AS status, count(*) AS count
      FROM "Build" WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED')
      GROUP BY "variantId", status`,
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
      SELECT b."variantId", s.runs, count(*) AS count
      FROM "SmokeResult" s JOIN "Build" b ON b.id = s."buildId"
      GROUP BY b."variantId", s.runs`,
    Promise.all(DURATION_SOURCES.map((source) => findDurationHistogram(source, labelsOf))),
  ]);
  const labelled = <T extends { variantId: string }>(rows: T[]) =>
    rows.flatMap(({ variantId, ...rest }) => {
      const labels = labelsOf(variantId);
      return labels ? [{ ...labels, ...rest }] : [];
    });
  const queued = active.find((row) => row.status === "QUEUED");
  const running = active.find((row) => row.status === "RUNNING");
  return {
    variants: variants.map(({ project, variant }) => ({ project, variant })),
    finishedBuilds: labelled(finished).map((row) => ({ ...row, count: toNumber(row.count) })),
    queued: queued ? toNumber(queued.count) : 0,
    running: running ? toNumber(running.count) : 0,
    oldestQueuedAt: queued?.oldest ? new Date(queued.oldest) : null,
    workersAlive,
    latestImages: images.map((row) => ({ project: row.project, variant: row.variant, bytes: toNumber(row.bytes), runs: row.runs })),
    smokeRuns: labelled(smoke).map((row) => ({ ...row, count: toNumber(row.count) })),
    durations,
  };
};
