// Bounds the size/duration history to a fixed number of points per variant, whatever the
// length of the history, without hiding what the chart is for: every failed, does-not-run and
// over-budget build is kept (up to FLAGGED_KEPT per series; beyond that the last and the
// largest of each kind in each time bucket), and so are the extremes (the smallest and largest
// size and duration of each bucket) and the first and last build of the series.
//
// Pure: the spec of the selection. lib/data/charts.ts does the same selection in SQL (same
// buckets, integer arithmetic on epoch milliseconds) so that Postgres never ships the long
// history, then runs this on the result as the final guarantee of the bound.
import { flagPoint, type HistoryPoint, type PointFlag } from "@/lib/history/shape-size-history";

// Time buckets per series once a series is longer than the bound.
export const HISTORY_BUCKETS = 29;
// The bound: a series never has more points than this on a chart.
export const HISTORY_POINTS_PER_SERIES = 300;
// Ok points of a long series: min/max size and min/max duration per bucket, plus first and last.
export const OK_POINTS_MAX = 4 * HISTORY_BUCKETS + 2;
// Flagged points kept one by one; more than this, and each (bucket, kind) keeps its last and its largest.
export const FLAGGED_KEPT = HISTORY_POINTS_PER_SERIES - OK_POINTS_MAX;

// Same arithmetic as the SQL: floor(B · (t − t0) / (t1 − t0 + 1)), exact for epoch milliseconds.
export const bucketOf = (at: number, first: number, last: number, buckets = HISTORY_BUCKETS) => Math.floor((buckets * (at - first)) / (last - first + 1));

export type DownsampleSummary = { variantId: string; total: number; kept: number; flaggedTotal: number; flaggedKept: number };

type Ranked = { point: HistoryPoint; at: number; flag: PointFlag };

const byTime = (a: Ranked, b: Ranked) => a.at - b.at || a.point.buildId.localeCompare(b.point.buildId);

// The point with the smallest (or largest) value; ties go to the earliest build; nulls never win.
const pickExtreme = (list: Ranked[], value: (p: HistoryPoint) => number | null, largest: boolean): Ranked | null => {
  let best: Ranked | null = null;
  let bestValue = 0;
  for (const item of list) {
    const v = value(item.point);
    if (v === null) continue;
    if (best === null || (largest ? v > bestValue : v < bestValue)) {
      best = item;
      bestValue = v;
    }
  }
  return best;
};

const size = (p: HistoryPoint) => p.totalSize;
const duration = (p: HistoryPoint) => p.durationMs;

/** One series (one variant's points); `budget` decides the over-budget flag. Keeps time order. */
export const downsampleSeries = (points: HistoryPoint[], budget: number | null, limit = HISTORY_POINTS_PER_SERIES): HistoryPoint[] => {
  const ranked = points.map((point) => ({ point, at: Date.parse(point.finishedAt), flag: flagPoint(point, budget) })).sort(byTime);
  if (ranked.length <= limit) return ranked.map((r) => r.point);
  const first = ranked[0].at;
  const last = ranked[ranked.length - 1].at;
  const flagged = ranked.filter((r) => r.flag !== "ok");
  const keep = new Set<Ranked>([ranked[0], ranked[ranked.length - 1]]);
  if (flagged.length <= FLAGGED_KEPT) for (const r of flagged) keep.add(r);

  const groups = new Map<string, Ranked[]>();
  for (const r of ranked) {
    const key = `${bucketOf(r.at, first, last)}:${r.flag}`;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  for (const list of groups.values()) {
    const picks =
      list[0].flag === "ok"
        ? [pickExtreme(list, size, false), pickExtreme(list, size, true), pickExtreme(list, duration, false), pickExtreme(list, duration, true)]
        : flagged.length > FLAGGED_KEPT
          ? [list[list.length - 1], pickExtreme(list, size, true)]
          : [];
    for (const pick of picks) if (pick) keep.add(pick);
  }
  return ranked.filter((r) => keep.has(r)).map((r) => r.point);
};

/** Every series of a history; `budgets` maps variant id → size budget (null: none). */
export const downsampleHistory = (
  points: HistoryPoint[],
  budgets: Map<string, number | null>,
  limit = HISTORY_POINTS_PER_SERIES,
): { points: HistoryPoint[]; summary: DownsampleSummary[] } => {
  const byVariant = new Map<string, HistoryPoint[]>();
  for (const point of points) {
    const list = byVariant.get(point.variantId) ?? [];
    list.push(point);
    byVariant.set(point.variantId, list);
  }
  const kept: HistoryPoint[] = [];
  const summary: DownsampleSummary[] = [];
  for (const [variantId, list] of byVariant) {
    const budget = budgets.get(variantId) ?? null;
    const series = downsampleSeries(list, budget, limit);
    kept.push(...series);
    summary.push({
      variantId,
      total: list.length,
      kept: series.length,
      flaggedTotal: list.filter((p) => flagPoint(p, budget) !== "ok").length,
      flaggedKept: series.filter((p) => flagPoint(p, budget) !== "ok").length,
    });
  }
  kept.sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt) || a.buildId.localeCompare(b.buildId));
  return { points: kept, summary };
};
