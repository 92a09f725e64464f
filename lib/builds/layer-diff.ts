// Layer-by-layer diff of two builds: layers aligned on their cleaned instruction with a
// longest-common-subsequence alignment, then classified with byte deltas. Pure (no
// server-only), so reports and the browser can use it too.
import type { LayerDto } from "@/lib/types";
import { MAIN_IMAGE } from "@/lib/layer-images";

export type LayerDiffKind = "added" | "removed" | "grown" | "shrunk" | "unchanged";

export type LayerSide = { position: number; size: number; instruction: string; isFromBase: boolean };

export type LayerDiffRow = {
  kind: LayerDiffKind;
  instruction: string;
  a: LayerSide | null;
  b: LayerSide | null;
  // b − a; an added layer counts its whole size, a removed one minus its size.
  deltaBytes: number;
};

export type LayerDiff = {
  rows: LayerDiffRow[];
  totals: Record<LayerDiffKind, number> & { sizeA: number; sizeB: number; deltaBytes: number };
};

// Beyond this the O(n·m) table gets large; real images have tens of layers, not thousands.
const MAX_LAYERS = 2000;

// The alignment key: the instruction with its whitespace collapsed. Base-image layers
// keep their digest in the key when they have one, so two different bases never pair up.
export const layerKey = (layer: Pick<LayerDto, "instruction" | "createdBy" | "isFromBase" | "layerDigest">): string => {
  const text = (layer.instruction || layer.createdBy).replace(/\s+/g, " ").trim();
  return layer.isFromBase && layer.layerDigest ? `base ${layer.layerDigest}` : text;
};

const toSide = (layer: LayerDto): LayerSide => ({
  position: layer.position,
  size: layer.size,
  instruction: (layer.instruction || layer.createdBy).trim(),
  isFromBase: layer.isFromBase,
});

// Only the shipped image's real layers: metadata entries (ENV, CMD…) add no bytes.
export const selectDiffLayers = (layers: LayerDto[]) =>
  layers.filter((l) => l.image === MAIN_IMAGE && !l.isEmpty).sort((x, y) => x.position - y.position);

const classify = (a: number, b: number): LayerDiffKind => (b > a ? "grown" : b < a ? "shrunk" : "unchanged");

export const diffLayers = (layersA: LayerDto[], layersB: LayerDto[]): LayerDiff => {
  const a = selectDiffLayers(layersA).slice(0, MAX_LAYERS);
  const b = selectDiffLayers(layersB).slice(0, MAX_LAYERS);
  const keysA = a.map(layerKey);
  const keysB = b.map(layerKey);

  // lcs[i][j] = length of the LCS of keysA[i..] and keysB[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = keysA[i] === keysB[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);

  const rows: LayerDiffRow[] = [];
  const removed = (layer: LayerDto): LayerDiffRow => ({ kind: "removed", instruction: toSide(layer).instruction, a: toSide(layer), b: null, deltaBytes: -layer.size });
  const added = (layer: LayerDto): LayerDiffRow => ({ kind: "added", instruction: toSide(layer).instruction, a: null, b: toSide(layer), deltaBytes: layer.size });
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (keysA[i] === keysB[j]) {
      rows.push({ kind: classify(a[i].size, b[j].size), instruction: toSide(b[j]).instruction, a: toSide(a[i]), b: toSide(b[j]), deltaBytes: b[j].size - a[i].size });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      rows.push(removed(a[i++]));
    } else {
      rows.push(added(b[j++]));
    }
  }
  while (i < a.length) rows.push(removed(a[i++]));
  while (j < b.length) rows.push(added(b[j++]));

  const totals = { added: 0, removed: 0, grown: 0, shrunk: 0, unchanged: 0, sizeA: 0, sizeB: 0, deltaBytes: 0 };
  for (const row of rows) {
    totals[row.kind] += 1;
    totals.sizeA += row.a?.size ?? 0;
    totals.sizeB += row.b?.size ?? 0;
    totals.deltaBytes += row.deltaBytes;
  }
  return { rows, totals };
};
