import { describe, expect, it } from "vitest";
import type { MetricsSnapshot } from "@/lib/data/metrics";
import { createSnapshotRegistry, renderMetrics } from "@/lib/metrics/registry";
import { parseMetrics } from "@/lib/harness/prometheus-text";

const NOW = new Date("2026-12-02T01:00:00.000Z");
const snapshot: MetricsSnapshot = {
  variants: [
    { project: "python-native", variant: "multi-stage" },
    { project: "python-native", variant: 'single "stage"' },
  ],
  finishedBuilds: [
    { project: "python-native", variant: "multi-stage", status: "SUCCEEDED", count: 3 },
    { project: "python-native", variant: "multi-stage", status: "FAILED", count: 1 },
  ],
  queued: 2,
  running: 1,
  oldestQueuedAt: new Date(NOW.getTime() - 90_000),
  workersAlive: 1,
  latestImages: [{ project: "python-native", variant: "multi-stage", bytes: 354_000_000, runs: false }],
  smokeRuns: [
    { project: "python-native", variant: "multi-stage", runs: true, count: 2 },
    { project: "python-native", variant: "multi-stage", runs: false, count: 1 },
  ],
  durations: [
    {
      name: "layerboard_build_duration_seconds",
      help: "Build time.",
      boundsSeconds: [10, 60],
      series: [{ project: "python-native", variant: "multi-stage", outcome: "SUCCEEDED", bucketCounts: [1, 3], count: 3, sumSeconds: 75.5 }],
    },
  ],
};

describe("the metrics registry", () => {
  it("turns a snapshot into counters (zero for variants without any), gauges and a recorded histogram", async () => {
    const metrics = parseMetrics(await createSnapshotRegistry(snapshot, NOW).metrics());
    const mine = { project: "python-native", variant: "multi-stage" };
    const other = { project: "python-native", variant: 'single "stage"' };
    expect(metrics.typeOf("layerboard_builds_total")).toBe("COUNTER");
    expect(metrics.value("layerboard_builds_total", { ...mine, status: "SUCCEEDED" })).toBe(3);
    expect(metrics.value("layerboard_builds_total", { ...mine, status: "INTERRUPTED" })).toBe(0);
    expect(metrics.value("layerboard_builds_total", { ...other, status: "FAILED" })).toBe(0);
    expect(metrics.samples("layerboard_builds_total")).toHaveLength(8);
    expect(metrics.value("layerboard_builds_queued")).toBe(2);
    expect(metrics.value("layerboard_builds_running")).toBe(1);
    expect(metrics.value("layerboard_queue_oldest_age_seconds")).toBe(90);
    expect(metrics.value("layerboard_workers_alive")).toBe(1);
    expect(metrics.value("layerboard_image_size_bytes", mine)).toBe(354000000);
    expect(metrics.value("layerboard_image_runs", mine)).toBe(0);
    expect(metrics.value("layerboard_smoke_runs_total", mine)).toBe(3);
    expect(metrics.value("layerboard_smoke_failures_total", mine)).toBe(1);
    expect(metrics.value("layerboard_smoke_failures_total", other)).toBe(0);

    expect(metrics.typeOf("layerboard_build_duration_seconds")).toBe("HISTOGRAM");
    expect(metrics.histogram("layerboard_build_duration_seconds", { ...mine, outcome: "SUCCEEDED" })).toEqual({
      buckets: { "10": 1, "60": 3, "+Inf": 3 },
      sum: 75.5,
      count: 3,
    });
  });

  it("reports an empty queue as age 0 and adds the process's default metrics", async () => {
    const { text, contentType } = await renderMetrics({ ...snapshot, queued: 0, oldestQueuedAt: null }, NOW);
    const metrics = parseMetrics(text);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.value("layerboard_queue_oldest_age_seconds")).toBe(0);
    expect(metrics.typeOf("process_cpu_user_seconds_total")).toBe("COUNTER");
    expect(metrics.value("process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(metrics.typeOf("nodejs_heap_size_used_bytes")).toBe("GAUGE");
  });
});
