// Turns size/duration history points into Recharts rows (one column per variant) plus the
// per-point flags the chart draws: failed, does-not-run, over budget. Pure: runs in tests
// and in the browser.
import type { BuildStatus, Strategy } from "@/lib/types";

export type HistoryPoint = {
  buildId: string;
  variantId: string;
  finishedAt: string;
  totalSize: number | null;
  durationMs: number | null;
  status: BuildStatus;
  runs: boolean | null;
  contextRevision: string | null;
};

export type HistoryVariant = { id: string; name: string; strategy: Strategy; sizeBudgetBytes: number | null };

// `color` comes from the UI palette (components/ui/palette.ts assignSeriesColors).
export type HistorySeries = HistoryVariant & { key: string; color: string };

export type PointFlag = "ok" | "failed" | "does-not-run" | "over-budget";

export type PointMeta = {
  buildId: string;
  variantId: string;
  status: BuildStatus;
  flag: PointFlag;
  // What the build measured; the plotted value of a failed build is a stand-in (see below).
  measured: number | null;
  runs: boolean | null;
  contextRevision: string | null;
};

export type HistoryRow = { at: number; meta: Record<string, PointMeta> } & Record<string, number | null | Record<string, PointMeta>>;

export type HistoryMetric = "size" | "duration";

// Recharts data keys must not contain dots or brackets; cuid ids never do, but a prefix keeps
// them clear of the row's own `at` and `meta` fields.
export const seriesKey = (variantId: string) => `v_${variantId}`;

export const flagPoint = (point: HistoryPoint, budget: number | null): PointFlag => {
  if (point.status !== "SUCCEEDED") return "failed";
  if (point.runs === false) return "does-not-run";
  if (budget !== null && point.totalSize !== null && point.totalSize > budget) return "over-budget";
  return "ok";
};

const valueOf = (point: HistoryPoint, metric: HistoryMetric) => (metric === "size" ? point.totalSize : point.durationMs);

// One row per finish time (builds finishing in the same millisecond share a row). A failed
// build has no image, so on the size chart it is drawn at the variant's last known size
// (or the next one when it failed first) as a marker on the line; the tooltip says it failed.
export const pivotHistory = (points: HistoryPoint[], variants: HistoryVariant[], metric: HistoryMetric): HistoryRow[] => {
  const budgets = new Map(variants.map((v) => [v.id, v.sizeBudgetBytes]));
  const sorted = points
    .filter((p) => budgets.has(p.variantId))
    .sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt) || a.buildId.localeCompare(b.buildId));

  const standIns = new Map<string, number | null>();
  const lastKnown = new Map<string, number>();
  for (const point of sorted) {
    const value = valueOf(point, metric);
    if (value !== null) lastKnown.set(point.variantId, value);
    else standIns.set(point.buildId, lastKnown.get(point.variantId) ?? null);
  }
  const nextKnown = new Map<string, number>();
  for (const point of [...sorted].reverse()) {
    const value = valueOf(point, metric);
    if (value !== null) nextKnown.set(point.variantId, value);
    else if (standIns.get(point.buildId) === null) standIns.set(point.buildId, nextKnown.get(point.variantId) ?? null);
  }

  const rows: HistoryRow[] = [];
  for (const point of sorted) {
    const at = Date.parse(point.finishedAt);
    const key = seriesKey(point.variantId);
    let row = rows.at(-1);
    if (!row || row.at !== at || key in row) {
      row = { at, meta: {} } as HistoryRow;
      rows.push(row);
    }
    const measured = valueOf(point, metric);
    row[key] = measured ?? standIns.get(point.buildId) ?? null;
    row.meta[key] = {
      buildId: point.buildId,
      variantId: point.variantId,
      status: point.status,
      flag: flagPoint(point, metric === "size" ? (budgets.get(point.variantId) ?? null) : null),
      measured,
      runs: point.runs,
      contextRevision: point.contextRevision,
    };
  }
  return rows;
};

// Budget lines for the size chart: one per variant that has a budget.
export const findBudgetLines = (series: HistorySeries[]) =>
  series.filter((s) => s.sizeBudgetBytes !== null).map((s) => ({ key: s.key, name: s.name, color: s.color, value: s.sizeBudgetBytes! }));

// Axis labels that tell points apart: times within a day, date and time within a week.
export const pickTimeFormat = (rows: Pick<HistoryRow, "at">[]): string => {
  if (rows.length < 2) return "d MMM HH:mm";
  const span = rows[rows.length - 1].at - rows[0].at;
  if (span < 36 * 3600_000) return "HH:mm";
  if (span < 7 * 24 * 3600_000) return "d MMM HH:mm";
  return "d MMM";
};

// Short duration labels for a chart axis: "45 s", "3 min", "1.5 h".
export const formatDurationTick = (ms: number): string => {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
};
