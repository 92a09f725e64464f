// Table helpers of the build, context and worker benches, and their figures in the one format of
// `npm run bench` (bench-json.ts; targets written in words here, parsed there).
import { recordBenchLine } from "@/lib/harness/bench-json";

export type BenchLine = {
  bench: string;
  line: string;
  value: number | null;
  unit: string;
  /** The reference measured in the same run (same unit), or null where there is none. */
  reference: number | null;
  /** value / reference, or null. */
  ratio: number | null;
  /** What the figure should reach, in words (e.g. "≤ 1.03×"), or null. */
  target: string | null;
};

export const appendBenchLines = (lines: BenchLine[]): void => lines.forEach((line) => recordBenchLine(line));

export const ratioOf = (value: number | null, reference: number | null): number | null =>
  value === null || reference === null || reference === 0 ? null : value / reference;

export const median = (values: number[]): number | null => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Prints rows of strings as an aligned text table. */
export const printTable = (data: Array<Record<string, string>>): void => {
  if (!data.length) return;
  const columns = Object.keys(data[0]);
  const widths = columns.map((column) => Math.max(column.length, ...data.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ");
  console.log(line(columns));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of data) console.log(line(columns.map((column) => row[column] ?? "")));
};
