"use client";
// Build duration over time, one line per variant (failed builds included: they took time too).
import { HistoryLineChart } from "@/components/charts/history-line-chart";
import { formatDurationTick, type HistoryRow, type HistorySeries } from "@/lib/history/shape-size-history";
import { formatDuration } from "@/lib/format/bytes";

type Props = { rows: HistoryRow[]; series: HistorySeries[] };

export const DurationHistoryChart = ({ rows, series }: Props) => (
  <HistoryLineChart title="Build duration over time per variant" testId="duration-history-chart" rows={rows} series={series} formatValue={formatDuration} formatTick={formatDurationTick} />
);
