// The UI's colours: one per build strategy, the base image's grey, and the shades that keep
// several variants of one strategy apart on a chart. Pure: safe in server and client components.
import { seriesKey, type HistorySeries, type HistoryVariant } from "@/lib/history/shape-size-history";
import type { Strategy } from "@/lib/types";

// Colours from the Okabe–Ito colour-blind-safe palette, darkened where needed so each one
// has at least 3.5:1 contrast against both white and a slate-900 (#0f172a) background
// (WCAG 1.4.11 asks 3:1 for chart marks and badges). Grey is kept for user-defined builds.
export const STRATEGY_COLORS: Record<Strategy, string> = {
  SINGLE_STAGE: "#d55e00",
  MULTI_STAGE: "#0a7bbd",
  VENV_COPIES: "#b8649a",
  BUILDER_PATTERN: "#00976e",
  CUSTOM: "#7c7c7c",
};

// The base image's bytes in every size chart, under the strategy-coloured own layers.
export const BASE_LAYER_COLOR = "#94a3b8";

// A builder-pattern build image (not shipped): neutral, so the runtime image keeps the strategy colour.
export const BUILD_IMAGE_COLOR = STRATEGY_COLORS.CUSTOM;

const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));

// Mixes a #rrggbb colour towards white (amount > 0) or black (amount < 0).
export const shadeColor = (hex: string, amount: number): string => {
  const n = Number.parseInt(hex.slice(1), 16);
  const channels = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  const target = amount > 0 ? 255 : 0;
  const t = Math.abs(amount);
  return `#${channels.map((c) => clamp(c + (target - c) * t).toString(16).padStart(2, "0")).join("")}`;
};

// Variants of the same strategy share a hue; the 2nd, 3rd… get alternately darker and
// lighter shades so their lines stay apart.
const SHADE_STEPS = [0, -0.3, 0.3, -0.5, 0.45, -0.65];

export const assignSeriesColors = (variants: HistoryVariant[]): HistorySeries[] => {
  const seen = new Map<Strategy, number>();
  return variants.map((variant) => {
    const index = seen.get(variant.strategy) ?? 0;
    seen.set(variant.strategy, index + 1);
    return { ...variant, key: seriesKey(variant.id), color: shadeColor(STRATEGY_COLORS[variant.strategy], SHADE_STEPS[index % SHADE_STEPS.length]) };
  });
};
