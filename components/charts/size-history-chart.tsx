"use client";
// Image size over time, one line per variant, with budget lines.
import { HistoryLineChart } from "@/components/charts/history-line-chart";
import type { HistoryRow, HistorySeries } from "@/lib/history/shape-size-history";
import { formatBytes } from "@/lib/format/bytes";

type Props = {
  rows: HistoryRow[];
  series: HistorySeries[];
  budgetLines: { key: string; name: string; color: string; value: number }[];
};

const formatSize = (bytes: number) => formatBytes(bytes);
const formatSizeTick = (bytes: number) => formatBytes(bytes, 0);

export const SizeHistoryChart = ({ rows, series, budgetLines }: Props) => (
  <HistoryLineChart title="Image size over time per variant" testId="size-history-chart" rows={rows} series={series} budgetLines={budgetLines} formatValue={formatSize} formatTick={formatSizeTick} />
);
