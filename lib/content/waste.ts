// Exact waste (docs/content-analysis.md defines it): reclaimable bytes are file copies in lower
// layers that a higher layer overwrote or deleted — each copy counted once, the copy that
// survives never; duplicates are the same content (SHA-256) under several paths of the final
// filesystem, beyond the first. Reclaimable bytes sitting in base-image layers are reported apart
// from those in the image's own layers. Pure.
import { mergeLayers, type MergeObserver, type UnreachableCopy } from "@/lib/content/filesystem";
import type { DuplicateGroup, FinalFilesystem, LayerIndex, WasteItem, WasteReport } from "@/lib/content/types";

export type WasteOptions = {
  /** Layers below this index belong to the base image. */
  firstOwnLayer: number;
  /** Items and duplicate groups kept in the report (largest first); the totals always count everything. */
  maxItems?: number;
  maxDuplicateGroups?: number;
  maxPathsPerGroup?: number;
};

export const DEFAULT_MAX_WASTE_ITEMS = 1000;
export const DEFAULT_MAX_DUPLICATE_GROUPS = 500;
const DEFAULT_MAX_PATHS_PER_GROUP = 50;

export const findDuplicates = (filesystem: FinalFilesystem): DuplicateGroup[] => {
  const bySha = new Map<string, { size: number; paths: string[] }>();
  for (const entry of filesystem.entries.values()) {
    if (entry.kind !== "file" || !entry.sha256) continue;
    const group = bySha.get(entry.sha256);
    if (group) group.paths.push(entry.path);
    else bySha.set(entry.sha256, { size: entry.size, paths: [entry.path] });
  }
  const groups: DuplicateGroup[] = [];
  for (const [sha256, group] of bySha) {
    if (group.paths.length < 2) continue;
    groups.push({ sha256, size: group.size, paths: group.paths.sort(), extraBytes: group.size * (group.paths.length - 1) });
  }
  return groups.sort((a, b) => b.extraBytes - a.extraBytes || a.paths[0].localeCompare(b.paths[0]));
};

export const buildWasteReport = (copies: UnreachableCopy[], filesystem: FinalFilesystem, options: WasteOptions): WasteReport => {
  let ownReclaimableBytes = 0;
  let baseReclaimableBytes = 0;
  for (const copy of copies) {
    if (copy.layer < options.firstOwnLayer) baseReclaimableBytes += copy.bytes;
    else ownReclaimableBytes += copy.bytes;
  }
  const items: WasteItem[] = [...copies]
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
    .slice(0, options.maxItems ?? DEFAULT_MAX_WASTE_ITEMS)
    .map(({ path, bytes, layer, byLayer, reason }) => ({ path, bytes, layer, byLayer, reason }));
  const duplicates = findDuplicates(filesystem);
  const duplicateBytes = duplicates.reduce((sum, group) => sum + group.extraBytes, 0);
  const maxPaths = options.maxPathsPerGroup ?? DEFAULT_MAX_PATHS_PER_GROUP;
  return {
    ownReclaimableBytes,
    baseReclaimableBytes,
    items,
    duplicateBytes,
    duplicates: duplicates
      .slice(0, options.maxDuplicateGroups ?? DEFAULT_MAX_DUPLICATE_GROUPS)
      .map((group) => (group.paths.length > maxPaths ? { ...group, paths: group.paths.slice(0, maxPaths) } : group)),
  };
};

/** The merge and the waste report in one pass over the layers. */
export const mergeWithWaste = (
  layers: Array<Pick<LayerIndex, "entries" | "captured">>,
  options: WasteOptions,
  observer: Pick<MergeObserver, "onChange"> = {},
): { filesystem: FinalFilesystem; waste: WasteReport } => {
  const copies: UnreachableCopy[] = [];
  const filesystem = mergeLayers(layers, { ...observer, onUnreachable: (copy) => copies.push(copy) });
  return { filesystem, waste: buildWasteReport(copies, filesystem, options) };
};
