"use client";
// Compared builds' sizes as stacked bars: base-image bytes under each build's own layers;
// a builder-pattern build image (not shipped) stands beside its runtime image.
import { Bar, BarChart, CartesianGrid, Cell, Legend, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import type { SizeComparisonBar } from "@/lib/compare/shape-size-comparison";
import { formatBytes } from "@/lib/format/bytes";
import { BASE_LAYER_COLOR, STRATEGY_COLORS } from "@/components/ui/palette";

const ComparisonTooltip = ({ active, payload }: TooltipContentProps) => {
  const bar = payload?.[0]?.payload as SizeComparisonBar | undefined;
  if (!active || !bar) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white p-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900">
      <p className="font-medium">{bar.label}</p>
      <p>total {formatBytes(bar.total)}</p>
      <p>base image {formatBytes(bar.base)}</p>
      <p>own layers {formatBytes(bar.own)}</p>
      {bar.buildImageSize !== null && <p>build image (not shipped) {formatBytes(bar.buildImageSize)}</p>}
      {bar.runs === false && <p className="font-semibold text-red-700 dark:text-red-300">does not run</p>}
    </div>
  );
};

export const SizeComparisonChart = ({ bars }: { bars: SizeComparisonBar[] }) => {
  const hasBuildImages = bars.some((b) => b.buildImageSize !== null);
  return (
    <figure data-testid="size-comparison-chart" className="text-slate-500 dark:text-slate-400">
      <figcaption className="sr-only">Image size per build, split into base image and own layers</figcaption>
      <BarChart responsive style={{ width: "100%", height: 300 }} data={bars} margin={{ top: 10, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} className="opacity-40" />
        <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" interval={0} angle={-12} textAnchor="end" height={44} />
        <YAxis tickFormatter={(v: number) => formatBytes(v, 0)} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" width={72} />
        <Tooltip content={ComparisonTooltip} isAnimationActive={false} cursor={{ fillOpacity: 0.1 }} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={(value) => <span className="text-slate-600 dark:text-slate-300">{value}</span>} />
        <Bar dataKey="base" name="base image" stackId="shipped" fill={BASE_LAYER_COLOR} isAnimationActive={false} />
        <Bar dataKey="own" name="own layers (strategy colour)" stackId="shipped" fill="#475569" isAnimationActive={false}>
          {bars.map((b) => (
            <Cell key={b.buildId} fill={STRATEGY_COLORS[b.strategy]} />
          ))}
        </Bar>
        {hasBuildImages && <Bar dataKey="buildImageSize" name="build image (not shipped)" fill="#cbd5e1" fillOpacity={0.35} stroke="#64748b" strokeDasharray="4 3" isAnimationActive={false} />}
      </BarChart>
    </figure>
  );
};
