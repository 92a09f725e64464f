// The one format every `npm run bench:*` script reports its headline figures in, so that
// `npm run bench` (scripts/bench-all.ts) can print them as one table: when
// LAYERBOARD_BENCH_JSON names a file, each figure is appended to it as a JSON line
//   {bench, line, value, unit, reference, referenceLabel, ratio, target}
// `reference` is the same quantity measured the same run by the tool a user would otherwise
// use (docker CLI, tar, …), in `unit`; `ratio` = value / reference. `target` is what issue 16
// asks for, on the value or on the ratio. Without the variable nothing is written.
import { appendFileSync } from "node:fs";

export type BenchTarget = { on: "value" | "ratio"; max?: number; min?: number };

export type BenchLine = {
  bench: string;
  line: string;
  value: number;
  unit: string;
  reference: number | null;
  referenceLabel?: string | null;
  ratio?: number | null;
  target: BenchTarget | null;
};

/**
 * A target written in words ("≤ 1.03×", "≥ 0.90", "< 150 MiB", "0") as a BenchTarget: a bound
 * followed by "×" (or a bare ratio-sized number after ≥) is on the ratio, a bound with a unit
 * or a bare count on the value. The last "≤ N×" wins ("≥ 90 % of tar throughput (≤ 1.11×)").
 */
export const parseBenchTarget = (text: string): BenchTarget | null => {
  const onRatio = [...text.matchAll(/([≤≥<>])\s*([\d.]+)\s*×/g)].pop();
  if (onRatio) return onRatio[1] === "≤" || onRatio[1] === "<" ? { on: "ratio", max: Number(onRatio[2]) } : { on: "ratio", min: Number(onRatio[2]) };
  const bound = /^([≤≥<>])?\s*([\d.]+)\s*(\S.*)?$/.exec(text.trim());
  if (!bound) return null;
  const value = Number(bound[2]);
  const on = !bound[3] && bound[1] && value <= 1 ? "ratio" : "value";
  if (!bound[1]) return { on, max: value, min: value };
  return bound[1] === "≤" || bound[1] === "<" ? { on, max: value } : { on, min: value };
};

export const recordBenchLine = (entry: Omit<BenchLine, "target" | "value"> & { value: number | null; target: BenchTarget | string | null }): void => {
  const path = process.env.LAYERBOARD_BENCH_JSON;
  if (!path || entry.value === null) return;
  const target = typeof entry.target === "string" ? parseBenchTarget(entry.target) : entry.target;
  const ratio = entry.ratio ?? (entry.reference !== null && entry.reference > 0 ? entry.value / entry.reference : null);
  appendFileSync(path, `${JSON.stringify({ ...entry, target, referenceLabel: entry.referenceLabel ?? null, ratio })}\n`);
};

export const isTargetMet = (entry: Pick<BenchLine, "value" | "ratio" | "target">): boolean | null => {
  const { target } = entry;
  if (!target) return null;
  const subject = target.on === "value" ? entry.value : entry.ratio;
  if (subject === null || subject === undefined || !Number.isFinite(subject)) return null;
  if (target.max !== undefined && subject > target.max) return false;
  if (target.min !== undefined && subject < target.min) return false;
  return true;
};

export const formatTarget = (target: BenchTarget | null, unit: string): string => {
  if (!target) return "";
  const what = target.on === "ratio" ? "× ref" : ` ${unit}`;
  const parts = [target.min !== undefined ? `≥ ${target.min}${what}` : null, target.max !== undefined ? `≤ ${target.max}${what}` : null].filter(Boolean);
  return parts.join(", ");
};

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
