"use client";
// One stacked horizontal bar per image: the base image's bytes, then each own non-empty
// layer in build order, with the instruction and exact bytes in the tooltip.
import { Bar, BarChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { formatBytes, formatExactBytes } from "@/lib/format/bytes";
import type { LayerDto } from "@/lib/types";
import { BASE_LAYER_COLOR } from "@/components/ui/palette";
import { countLayers } from "@/lib/builds/layer-counts";

type Segment = { key: string; label: string; instruction: string; bytes: number; fill: string; opacity: number };

// Neighbouring own layers alternate in strength so each stays distinguishable in one hue.
const OPACITY_STEPS = [1, 0.7, 0.45];

const toBreakdownSegments = (layers: LayerDto[], colour: string): Segment[] => {
  const baseBytes = layers.filter((l) => l.isFromBase).reduce((sum, l) => sum + l.size, 0);
  const own = layers.filter((l) => !l.isFromBase && !l.isEmpty && l.size > 0).sort((a, b) => a.position - b.position);
  const segments: Segment[] = [];
  if (baseBytes > 0) segments.push({ key: "base", label: "Base image", instruction: "layers of the base image", bytes: baseBytes, fill: BASE_LAYER_COLOR, opacity: 1 });
  own.forEach((layer, i) =>
    segments.push({ key: `layer${layer.position}`, label: `Layer ${layer.position}`, instruction: layer.instruction, bytes: layer.size, fill: colour, opacity: OPACITY_STEPS[i % OPACITY_STEPS.length] }),
  );
  return segments;
};

const BreakdownTooltip = ({ active, payload, segments }: Pick<TooltipContentProps, "active" | "payload"> & { segments: Map<string, Segment> }) => {
  const entry = active ? payload?.[0] : undefined;
  const segment = entry ? segments.get(String(entry.dataKey)) : undefined;
  if (!segment) return null;
  return (
    <div className="max-w-md rounded-md border border-slate-200 bg-white p-2 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-900">
      <p className="font-semibold">{segment.label}</p>
      <p className="mt-1 break-words font-mono">{segment.instruction.length > 240 ? `${segment.instruction.slice(0, 240)}…` : segment.instruction}</p>
      <p className="mt-1 tabular-nums">
        {formatBytes(segment.bytes)} · {formatExactBytes(segment.bytes)}
      </p>
    </div>
  );
};

export const LayerBreakdownChart = ({ layers, colour, label }: { layers: LayerDto[]; colour: string; label: string }) => {
  const segments = toBreakdownSegments(layers, colour);
  if (!segments.length) return null;
  const byKey = new Map(segments.map((s) => [s.key, s]));
  const row = Object.fromEntries([["name", label], ...segments.map((s) => [s.key, s.bytes])]);
  const total = segments.reduce((sum, s) => sum + s.bytes, 0);
  const base = byKey.get("base")?.bytes ?? 0;
  // The same "own layers" as the layer table's summary line (lib/builds/layer-counts.ts).
  const ownLayers = countLayers(layers).ownLayers;
  return (
    <figure>
      <BarChart
        layout="vertical"
        data={[row]}
        responsive
        style={{ width: "100%", height: 96 }}
        margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
        accessibilityLayer
      >
        <XAxis type="number" domain={[0, total]} tickFormatter={(v: number) => formatBytes(v, 0)} tick={{ fontSize: 11, fill: "currentColor" }} stroke="currentColor" />
        <YAxis type="category" dataKey="name" hide />
        <Tooltip shared={false} cursor={false} content={({ active, payload }) => <BreakdownTooltip active={active} payload={payload} segments={byKey} />} isAnimationActive={false} />
        {segments.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} stackId="size" fill={s.fill} fillOpacity={s.opacity} stroke="#ffffff" strokeWidth={1} isAnimationActive={false} barSize={40} />
        ))}
      </BarChart>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-300">
        <span className="sr-only">
          {label}: {formatBytes(total)}, of which the base image {formatBytes(base)} and {ownLayers} own layers:
        </span>
        <span aria-hidden="true" className="w-full text-slate-500 dark:text-slate-400" data-testid="chart-own-layers">
          Base image and {ownLayers} own filesystem {ownLayers === 1 ? "layer" : "layers"}
          {segments.length - (base ? 1 : 0) < ownLayers ? ` (${ownLayers - (segments.length - (base ? 1 : 0))} of 0 bytes not drawn)` : ""}:
        </span>
        {segments.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ backgroundColor: s.fill, opacity: s.opacity }} />
            {s.label} <span className="tabular-nums" title={formatExactBytes(s.bytes)}>{formatBytes(s.bytes)}</span>
          </span>
        ))}
      </figcaption>
    </figure>
  );
};
