// One meaning per number (issue 13): an image's history entries, its filesystem layers and its
// own layers, counted once here for the summary, the layer table and the size chart. Pure.
import type { LayerDto } from "@/lib/types";

export type LayerCounts = {
  /** Every history entry: the layer table's rows (metadata-only entries such as ENV or CMD included). */
  historyEntries: number;
  /** Entries that add a filesystem layer (the summary's "Filesystem layers"). */
  filesystemLayers: number;
  /** Filesystem layers the base image brought. */
  baseLayers: number;
  /** Filesystem layers this Dockerfile added (the chart's "own layers"). */
  ownLayers: number;
  /** Entries that add no filesystem layer. */
  metadataEntries: number;
};

export const countLayers = (layers: Pick<LayerDto, "isEmpty" | "isFromBase">[]): LayerCounts => {
  const filesystem = layers.filter((l) => !l.isEmpty);
  const base = filesystem.filter((l) => l.isFromBase).length;
  return {
    historyEntries: layers.length,
    filesystemLayers: filesystem.length,
    baseLayers: base,
    ownLayers: filesystem.length - base,
    metadataEntries: layers.length - filesystem.length,
  };
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "12 history entries: 7 filesystem layers (4 from the base image, 3 own) and 5 metadata-only entries". */
export const describeLayerCounts = (counts: LayerCounts): string =>
  `${plural(counts.historyEntries, "history entry", "history entries")}: ${plural(counts.filesystemLayers, "filesystem layer")} ` +
  `(${counts.baseLayers} from the base image, ${counts.ownLayers} own)` +
  (counts.metadataEntries ? ` and ${plural(counts.metadataEntries, "metadata-only entry", "metadata-only entries")}` : "");

/** Layers stored before "base image (imported)" existed read the engine's `Imported from -`. */
export const displayInstruction = (instruction: string): string => (/^Imported from /.test(instruction) ? "base image (imported)" : instruction);
