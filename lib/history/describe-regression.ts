// A regression in one line (issue 15): "+5.2 MB at a1b2c3d: Add a large asset — layer
// `COPY big.bin /srv/` +5.2 MB", or "stopped running at …". Pure; the layer diff of the
// regressed build against its base build names the layer that grew most.
import type { LayerDiff } from "@/lib/builds/layer-diff";
import { formatBytes } from "@/lib/format/bytes";
import type { Regression } from "@/lib/history/find-regressions";

export type TopLayer = { instruction: string; deltaBytes: number };

const MAX_INSTRUCTION = 72;

/** Long instructions keep their start and end: `RUN apt-get install … build-essential`. */
export const shortenInstruction = (text: string, max = MAX_INSTRUCTION): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const head = Math.ceil((max - 3) * 0.6);
  const tail = max - 3 - head;
  return `${flat.slice(0, head).trimEnd()} … ${flat.slice(flat.length - tail).trimStart()}`;
};

/** The layer that grew (or was added with) the most bytes; null when none grew. */
export const findTopLayer = (diff: LayerDiff): TopLayer | null => {
  const top = diff.rows.filter((r) => r.deltaBytes > 0).sort((a, b) => b.deltaBytes - a.deltaBytes)[0];
  return top ? { instruction: top.instruction, deltaBytes: top.deltaBytes } : null;
};

const signed = (bytes: number) => `${bytes >= 0 ? "+" : ""}${formatBytes(bytes)}`;

export const describeRegression = (regression: Pick<Regression, "kind" | "sha" | "baseSha" | "deltaBytes">, subject: string | null, topLayer: TopLayer | null): string => {
  const at = `${regression.sha.slice(0, 7)}${subject ? `: ${subject}` : ""}`;
  if (regression.kind === "stopped-running") return `stopped running at ${at} (ran at ${regression.baseSha.slice(0, 7)})`;
  const layer = topLayer ? ` — layer \`${shortenInstruction(topLayer.instruction)}\` ${signed(topLayer.deltaBytes)}` : "";
  return `${signed(regression.deltaBytes ?? 0)} at ${at}${layer}`;
};
