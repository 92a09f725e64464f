import { describe, expect, it } from "vitest";
import { findBudgetLines, flagPoint, formatDurationTick, pickTimeFormat, pivotHistory, seriesKey, type HistoryPoint, type HistoryVariant } from "@/lib/history/shape-size-history";

const variants: HistoryVariant[] = [
  { id: "single", name: "single-stage", strategy: "SINGLE_STAGE", sizeBudgetBytes: null },
  { id: "multi", name: "multi-stage", strategy: "MULTI_STAGE", sizeBudgetBytes: 300_000_000 },
  { id: "copies", name: "venv --copies", strategy: "VENV_COPIES", sizeBudgetBytes: null },
];

const point = (buildId: string, variantId: string, minute: number, extra: Partial<HistoryPoint> = {}): HistoryPoint => ({
  buildId,
  variantId,
  finishedAt: new Date(Date.UTC(2026, 10, 22, 0, minute)).toISOString(),
  totalSize: 100,
  durationMs: 1000,
  status: "SUCCEEDED",
  runs: true,
  contextRevision: "abc123",
  ...extra,
});

describe("pivotHistory", () => {
  it("makes one row per finish time with a column per variant", () => {
    const rows = pivotHistory(
      [point("b2", "multi", 2, { totalSize: 303 }), point("b1", "single", 1, { totalSize: 929 }), point("b3", "copies", 2, { totalSize: 190, runs: false })],
      variants,
      "size",
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ at: Date.UTC(2026, 10, 22, 0, 1), [seriesKey("single")]: 929 });
    expect(rows[1][seriesKey("multi")]).toBe(303);
    expect(rows[1][seriesKey("copies")]).toBe(190);
    expect(rows[1].meta[seriesKey("copies")]).toMatchObject({ buildId: "b3", flag: "does-not-run", measured: 190 });
  });

  it("draws a failed build at the variant's last known size and keeps its measured value empty", () => {
    const rows = pivotHistory(
      [point("ok", "single", 1, { totalSize: 500 }), point("bad", "single", 2, { totalSize: null, status: "FAILED", runs: null })],
      variants,
      "size",
    );
    expect(rows[1][seriesKey("single")]).toBe(500);
    expect(rows[1].meta[seriesKey("single")]).toMatchObject({ flag: "failed", measured: null, status: "FAILED" });
  });

  it("uses the next size when a variant's first build failed, and nothing when none succeeded", () => {
    const rows = pivotHistory(
      [
        point("bad", "single", 1, { totalSize: null, status: "FAILED" }),
        point("ok", "single", 2, { totalSize: 700 }),
        point("lone", "multi", 3, { totalSize: null, status: "INTERRUPTED" }),
      ],
      variants,
      "size",
    );
    expect(rows[0][seriesKey("single")]).toBe(700);
    expect(rows[2][seriesKey("multi")]).toBeNull();
  });

  it("flags sizes over the variant's budget on the size chart only", () => {
    const points = [point("big", "multi", 1, { totalSize: 350_000_000 })];
    expect(pivotHistory(points, variants, "size")[0].meta[seriesKey("multi")].flag).toBe("over-budget");
    expect(pivotHistory(points, variants, "duration")[0].meta[seriesKey("multi")].flag).toBe("ok");
  });

  it("plots durations, including those of failed builds", () => {
    const rows = pivotHistory([point("bad", "single", 1, { totalSize: null, durationMs: 4200, status: "FAILED" })], variants, "duration");
    expect(rows[0][seriesKey("single")]).toBe(4200);
    expect(rows[0].meta[seriesKey("single")].flag).toBe("failed");
  });

  it("drops points of variants that are filtered out", () => {
    expect(pivotHistory([point("x", "other", 1)], variants, "size")).toEqual([]);
  });

  it("gives two builds of one variant finishing together separate rows", () => {
    const rows = pivotHistory([point("a", "single", 1), point("b", "single", 1)], variants, "size");
    expect(rows).toHaveLength(2);
  });
});

describe("flagPoint", () => {
  it("ranks failed over does-not-run over over-budget", () => {
    expect(flagPoint(point("x", "multi", 1, { status: "FAILED", runs: false }), 1)).toBe("failed");
    expect(flagPoint(point("x", "multi", 1, { runs: false, totalSize: 10 }), 1)).toBe("does-not-run");
    expect(flagPoint(point("x", "multi", 1, { totalSize: 10 }), 1)).toBe("over-budget");
    expect(flagPoint(point("x", "multi", 1, { totalSize: 10 }), null)).toBe("ok");
  });
});

describe("findBudgetLines", () => {
  it("lists only variants with a budget", () => {
    const series = variants.map((v) => ({ ...v, key: seriesKey(v.id), color: `#${v.id}` }));
    expect(findBudgetLines(series)).toEqual([{ key: seriesKey("multi"), name: "multi-stage", color: "#multi", value: 300_000_000 }]);
  });
});

describe("axis labels", () => {
  it("picks a time format from the span of the data", () => {
    const at = (h: number) => ({ at: h * 3600_000 });
    expect(pickTimeFormat([at(0), at(5)])).toBe("HH:mm");
    expect(pickTimeFormat([at(0), at(72)])).toBe("d MMM HH:mm");
    expect(pickTimeFormat([at(0), at(24 * 20)])).toBe("d MMM");
    expect(pickTimeFormat([at(0)])).toBe("d MMM HH:mm");
  });

  it("formats duration ticks compactly", () => {
    expect(formatDurationTick(45_000)).toBe("45 s");
    expect(formatDurationTick(180_000)).toBe("3 min");
    expect(formatDurationTick(5_400_000)).toBe("90 min");
    expect(formatDurationTick(9_000_000)).toBe("2.5 h");
  });
});
