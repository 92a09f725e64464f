// Turns a Postgres snapshot into Prometheus metrics (prom-client): a fresh registry per scrape
// (two scrapes at once never mix their numbers), merged with this process's default metrics.
// Labels: project (slug) and variant (name), bounded by the variants that exist; status and
// outcome take a handful of values. No build, token or user id is ever a label.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DurationHistogram, MetricsSnapshot, VariantLabels } from "@/lib/data/metrics";
import { FINISHED_STATUSES } from "@/lib/types";

const VARIANT_LABELS = ["project", "variant"] as const;

// A prom-client histogram whose buckets are counted by Postgres (lib/data/metrics.ts), not
// observed in this process: the web process that answers the scrape runs no builds.
class RecordedHistogram extends Histogram<"project" | "variant" | "outcome"> {
  constructor(
    private readonly recorded: DurationHistogram,
    registry: Registry,
  ) {
    super({ name: recorded.name, help: recorded.help, labelNames: [...VARIANT_LABELS, "outcome"], buckets: recorded.boundsSeconds, registers: [registry] });
  }

  // What prom-client's registry formats a histogram from (its get() splays the same values
  // for JSON): `labels` holds `le`, `sharedLabels` the series' labels, buckets cumulative.
  async getForPromString() {
    const { name, help, boundsSeconds } = this.recorded;
    const values = this.recorded.series.flatMap(({ project, variant, outcome, bucketCounts, count, sumSeconds }) => {
      const sharedLabels = { project, variant, outcome };
      return [
        ...boundsSeconds.map((le, i) => ({ metricName: `${name}_bucket`, labels: { le }, sharedLabels, value: bucketCounts[i] })),
        { metricName: `${name}_bucket`, labels: { le: "+Inf" }, sharedLabels, value: count },
        { metricName: `${name}_sum`, labels: {}, sharedLabels, value: sumSeconds },
        { metricName: `${name}_count`, labels: {}, sharedLabels, value: count },
      ];
    });
    return { name, help, type: "histogram", aggregator: "sum", values };
  }
}

const processRegistry = (): Registry => {
  const cache = globalThis as unknown as { layerboardProcessMetrics?: Registry };
  if (!cache.layerboardProcessMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    cache.layerboardProcessMetrics = registry;
  }
  return cache.layerboardProcessMetrics;
};

const key = ({ project, variant }: VariantLabels) => `${project}\u0000${variant}`;

/** The snapshot's metrics in a registry of their own (pure: no process metrics). */
export const createSnapshotRegistry = (snapshot: MetricsSnapshot, now: Date = new Date()): Registry => {
  const registers = [new Registry()];
  const labels = ({ project, variant }: VariantLabels) => ({ project, variant });

  // Counters start at 0 for every variant, so increase() sees the first failure too.
  const builds = new Counter({
    name: "layerboard_builds_total",
    help: "Finished builds by final status (SUCCEEDED, FAILED, CANCELLED, INTERRUPTED), counted in Postgres.",
    labelNames: [...VARIANT_LABELS, "status"],
    registers,
  });
  const finished = new Map(snapshot.finishedBuilds.map((row) => [`${key(row)}\u0000${row.status}`, row.count]));
  for (const variant of snapshot.variants)
    for (const status of FINISHED_STATUSES) builds.inc({ ...labels(variant), status }, finished.get(`${key(variant)}\u0000${status}`) ?? 0);

  new Gauge({ name: "layerboard_builds_queued", help: "Builds waiting for a worker (status QUEUED).", registers }).set(snapshot.queued);
  new Gauge({ name: "layerboard_builds_running", help: "Builds a worker is running (status RUNNING).", registers }).set(snapshot.running);
  new Gauge({
    name: "layerboard_queue_oldest_age_seconds",
    help: "How long the oldest queued build has waited; 0 when none waits.",
    registers,
  }).set(snapshot.oldestQueuedAt ? Math.max(0, (now.getTime() - snapshot.oldestQueuedAt.getTime()) / 1000) : 0);
  new Gauge({
    name: "layerboard_workers_alive",
    help: "Build workers not stopped whose heartbeat is within LAYERBOARD_HEARTBEAT_TIMEOUT_S.",
    registers,
  }).set(snapshot.workersAlive);

  const size = new Gauge({
    name: "layerboard_image_size_bytes",
    help: "Size of the image of each variant's newest successful build.",
    labelNames: VARIANT_LABELS,
    registers,
  });
  const imageRuns = new Gauge({
    name: "layerboard_image_runs",
    help: "1 when the smoke run of each variant's newest successful build passed, 0 when it did not start or failed.",
    labelNames: VARIANT_LABELS,
    registers,
  });
  for (const image of snapshot.latestImages) {
    size.set(labels(image), image.bytes);
    if (image.runs !== null) imageRuns.set(labels(image), image.runs ? 1 : 0);
  }

  const smokeRuns = new Counter({ name: "layerboard_smoke_runs_total", help: "Smoke runs of built images.", labelNames: VARIANT_LABELS, registers });
  const smokeFailures = new Counter({
    name: "layerboard_smoke_failures_total",
    help: "Smoke runs whose image did not run (non-zero exit, timeout, out of memory, no start).",
    labelNames: VARIANT_LABELS,
    registers,
  });
  const runsBy = new Map<string, { all: number; failed: number }>();
  for (const row of snapshot.smokeRuns) {
    const entry = runsBy.get(key(row)) ?? { all: 0, failed: 0 };
    entry.all += row.count;
    if (!row.runs) entry.failed += row.count;
    runsBy.set(key(row), entry);
  }
  for (const variant of snapshot.variants) {
    const entry = runsBy.get(key(variant)) ?? { all: 0, failed: 0 };
    smokeRuns.inc(labels(variant), entry.all);
    smokeFailures.inc(labels(variant), entry.failed);
  }

  for (const histogram of snapshot.durations) new RecordedHistogram(histogram, registers[0]);
  return registers[0];
};

/** The scrape's text (Prometheus text format 0.0.4) and its content type. */
export const renderMetrics = async (snapshot: MetricsSnapshot, now: Date = new Date()): Promise<{ text: string; contentType: string }> => {
  const merged = Registry.merge([processRegistry(), createSnapshotRegistry(snapshot, now)]);
  return { text: await merged.metrics(), contentType: merged.contentType };
};
