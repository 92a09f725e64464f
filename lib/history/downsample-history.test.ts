import { describe, expect, it } from "vitest";
import {
  bucketOf,
  downsampleHistory,
  downsampleSeries,
  FLAGGED_KEPT,
  HISTORY_BUCKETS,
  HISTORY_POINTS_PER_SERIES,
} from "@/lib/history/downsample-history";
import { flagPoint, pivotHistory, seriesKey, type HistoryPoint } from "@/lib/history/shape-size-history";

const START = Date.UTC(2026, 0, 1);
const HOUR = 3600_000;

// A long, realistic series: sizes drifting around 350 MB, some failures, a few over budget.
const point = (i: number, variantId = "multi", extra: Partial<HistoryPoint> = {}): HistoryPoint => ({
  buildId: `b${String(i).padStart(6, "0")}${variantId}`,
  variantId,
  finishedAt: new Date(START + i * HOUR).toISOString(),
  totalSize: 350_000_000 + ((i * 104_729) % 1_000_000),
  durationMs: 40_000 + ((i * 7919) % 30_000),
  status: "SUCCEEDED",
  runs: true,
  contextRevision: null,
  ...extra,
});

const series = (n: number, make: (i: number) => Partial<HistoryPoint> = () => ({}), variantId = "multi") =>
  Array.from({ length: n }, (_, i) => point(i, variantId, make(i)));

const ids = (points: HistoryPoint[]) => new Set(points.map((p) => p.buildId));

describe("downsampleSeries", () => {
  it("keeps a series at or under the bound as it is", () => {
    const points = series(HISTORY_POINTS_PER_SERIES);
    expect(downsampleSeries(points, null)).toEqual(points);
  });

  it("bounds a long series and keeps its first and last build and its extremes", () => {
    const points = series(20_000, (i) => (i === 7_777 ? { totalSize: 10 } : i === 12_345 ? { totalSize: 9e9, durationMs: 1 } : {}));
    const kept = downsampleSeries(points, null);
    expect(kept.length).toBeLessThanOrEqual(HISTORY_POINTS_PER_SERIES);
    expect(kept.length).toBeGreaterThan(HISTORY_BUCKETS * 2);
    const keptIds = ids(kept);
    for (const i of [0, 19_999, 7_777, 12_345]) expect(keptIds.has(points[i].buildId)).toBe(true);
    // Still in time order, and spread over the whole range (not just the newest builds).
    expect(kept.map((p) => p.finishedAt)).toEqual([...kept.map((p) => p.finishedAt)].sort());
    expect(Date.parse(kept[1].finishedAt) - START).toBeLessThan((20_000 / HISTORY_BUCKETS) * HOUR);
  });

  it("keeps every failed, does-not-run and over-budget build when there are up to FLAGGED_KEPT of them", () => {
    const budget = 351_000_000;
    const points = series(10_000, (i) =>
      i % 197 === 5 ? { status: "FAILED", totalSize: null } : i % 263 === 9 ? { runs: false } : i % 229 === 1 ? { totalSize: 400_000_000 } : {},
    );
    const flagged = points.filter((p) => flagPoint(p, budget) !== "ok");
    expect(flagged.length).toBeGreaterThan(100);
    expect(flagged.length).toBeLessThanOrEqual(FLAGGED_KEPT);
    const kept = downsampleSeries(points, budget);
    expect(kept.length).toBeLessThanOrEqual(HISTORY_POINTS_PER_SERIES);
    const keptIds = ids(kept);
    expect(flagged.filter((p) => !keptIds.has(p.buildId))).toEqual([]);
    expect(new Set(flagged.map((p) => flagPoint(p, budget)))).toEqual(new Set(["failed", "does-not-run", "over-budget"]));
  });

  it("stays bounded when most builds are flagged, and every bucket with a failure still shows one", () => {
    // A variant whose image never runs, and fails one build in three.
    const points = series(30_000, (i) => (i % 3 === 0 ? { status: "FAILED", totalSize: null } : { runs: false }));
    const kept = downsampleSeries(points, null);
    expect(kept.length).toBeLessThanOrEqual(HISTORY_POINTS_PER_SERIES);
    const first = START;
    const last = START + 29_999 * HOUR;
    const bucketsWithFailure = new Set(points.filter((p) => p.status === "FAILED").map((p) => bucketOf(Date.parse(p.finishedAt), first, last)));
    const keptFailureBuckets = new Set(kept.filter((p) => p.status === "FAILED").map((p) => bucketOf(Date.parse(p.finishedAt), first, last)));
    expect(keptFailureBuckets).toEqual(bucketsWithFailure);
    expect(kept.some((p) => p.runs === false)).toBe(true);
  });

  it("puts every point in one of HISTORY_BUCKETS buckets, the last one included", () => {
    expect(bucketOf(START, START, START + 1000)).toBe(0);
    expect(bucketOf(START + 1000, START, START + 1000)).toBe(HISTORY_BUCKETS - 1);
    expect(bucketOf(START, START, START)).toBe(0);
  });
});

describe("downsampleHistory", () => {
  it("bounds each variant on its own and the pivot still draws the markers", () => {
    const points = [
      ...series(5_000, (i) => (i === 4_000 ? { status: "FAILED", totalSize: null } : {}), "multi"),
      ...series(40, () => ({ runs: false }), "copies"),
    ];
    const budgets = new Map<string, number | null>([
      ["multi", null],
      ["copies", null],
    ]);
    const { points: kept, summary } = downsampleHistory(points, budgets);
    expect(summary.find((s) => s.variantId === "copies")).toEqual({ variantId: "copies", total: 40, kept: 40, flaggedTotal: 40, flaggedKept: 40 });
    const multi = summary.find((s) => s.variantId === "multi")!;
    expect(multi.total).toBe(5_000);
    expect(multi.kept).toBeLessThanOrEqual(HISTORY_POINTS_PER_SERIES);
    expect(multi.flaggedKept).toBe(1);
    const rows = pivotHistory(
      kept,
      [
        { id: "multi", name: "multi-stage", strategy: "MULTI_STAGE", sizeBudgetBytes: null },
        { id: "copies", name: "venv --copies", strategy: "VENV_COPIES", sizeBudgetBytes: null },
      ],
      "size",
    );
    const flags = rows.flatMap((row) => Object.values(row.meta).map((m) => m.flag));
    expect(flags.filter((f) => f === "does-not-run")).toHaveLength(40);
    expect(flags.filter((f) => f === "failed")).toHaveLength(1);
    // The failed build is drawn at the size of the build before it that was kept.
    const failedRow = rows.find((row) => row.meta[seriesKey("multi")]?.flag === "failed")!;
    expect(typeof failedRow[seriesKey("multi")]).toBe("number");
  });
});
