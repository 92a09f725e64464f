"use client";
// Image size per build of a report: base-image bytes and own bytes stacked, coloured by
// strategy, with a cross on images that do not run (size means nothing if it is broken).
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { BASE_LAYER_COLOR, STRATEGY_COLORS } from "@/components/ui/palette";
import { formatBytes } from "@/lib/format/bytes";
import type { ReportRow } from "@/lib/reports/build-report";

type Datum = { name: string; base: number; own: number; colour: string };

const toSizeChartData = (rows: ReportRow[]): Datum[] =>
  rows
    .filter((row) => row.size !== null)
    .map((row) => {
      const base = Math.min(row.baseSize ?? 0, row.size!);
      return {
        name: `${row.variant}${row.runs === false ? " ✕" : ""}`,
        base,
        own: row.size! - base,
        colour: STRATEGY_COLORS[row.strategy],
      };
    });

export const ReportSizeChart = ({ rows }: { rows: ReportRow[] }) => {
  const data = toSizeChartData(rows);
  if (!data.length) return <p className="text-sm text-slate-500">No finished image to chart.</p>;
  const summary = data.map((d) => `${d.name}: ${formatBytes(d.base + d.own)}`).join("; ");
  return (
    <figure>
      <BarChart
        layout="vertical"
        data={data}
        responsive
        style={{ width: "100%", height: Math.max(120, data.length * 48 + 40) }}
        margin={{ top: 4, right: 24, bottom: 4, left: 8 }}
        accessibilityLayer
        role="img"
        aria-label={`Image size per variant. ${summary}`}
      >
        <CartesianGrid horizontal={false} strokeOpacity={0.3} />
        <XAxis type="number" tickFormatter={(value: number) => formatBytes(value, 0)} tick={{ fontSize: 11, fill: "currentColor" }} stroke="currentColor" />
        <YAxis type="category" dataKey="name" width={160} tick={{ fontSize: 12, fill: "currentColor" }} stroke="currentColor" />
        <Tooltip formatter={(value) => formatBytes(Number(value))} isAnimationActive={false} cursor={{ fillOpacity: 0.1 }} />
        <Bar dataKey="base" name="Base image" stackId="size" fill={BASE_LAYER_COLOR} isAnimationActive={false} barSize={28} />
        <Bar dataKey="own" name="Own layers" stackId="size" isAnimationActive={false} barSize={28}>
          {data.map((d) => (
            <Cell key={d.name} fill={d.colour} />
          ))}
        </Bar>
      </BarChart>
      <figcaption className="mt-2 text-xs text-slate-600 dark:text-slate-300">
        <span className="mr-1 inline-block h-3 w-3 rounded-sm align-middle" style={{ backgroundColor: BASE_LAYER_COLOR }} aria-hidden="true" /> base image, then own
        layers in the strategy&apos;s colour. ✕ marks an image that does not run.
      </figcaption>
    </figure>
  );
};
