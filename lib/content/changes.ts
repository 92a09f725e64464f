// What each layer did to the final filesystem, exactly, from the ordered layer indexes: for
// every final path whether the layer that put it there added it or modified it, and every
// path a higher layer deleted (docs/content-api.md states the rules). Pure; computed when a
// filesystem is merged for reading, nothing more is stored.
//
// Rules:
// - "added": no lower layer's version of the path was visible when the layer put it there
//   (a path deleted in an earlier layer and put back by a later one is "added" there).
// - "modified": a lower layer's version was visible and this layer replaced it, or this
//   layer's whiteout/opaque directory removed it and the same layer put it back.
// - A directory re-listed by a later layer (tar layers re-list the parents of every changed
//   file) is not modified by that: only a change of mode, uid or gid makes it "modified".
//   Its layer is the one that added it or last changed its metadata.
// - "deleted": visible in a lower layer, removed by a whiteout, an opaque directory or a file
//   that replaced its parent directory, and absent from the final filesystem. The row names
//   the layer whose version was removed and the layer that removed it; a regular file carries
//   its bytes, a deleted directory the bytes and count of what the same layer removed under it.
import { mergeLayers, type MergeObserver } from "@/lib/content/filesystem";
import { compareTreeOrder, depthOf, isUnder, parentOf, treeKey } from "@/lib/content/path-order";
import type { EntryKind, FinalEntry, FinalFilesystem, LayerIndex } from "@/lib/content/types";

export type PathChange = { change: "added" | "modified"; layer: number };

export type DeletedEntry = {
  path: string;
  kind: EntryKind;
  /** Regular file: its bytes (a hard link: 0); directory: the regular-file bytes removed under it by the same layer. */
  bytes: number;
  /** Directory: entries removed under it by the same layer; otherwise 0. */
  entries: number;
  /** The layer whose version was removed, and the layer that removed it. */
  layer: number;
  byLayer: number;
};

/** A deleted path as the file browser shows it: whether the removed version came from the base image, and its package. */
export type DeletedRow = DeletedEntry & { isFromBase: boolean; owner: string | null };

export type FilesystemChanges = {
  /** Only the final paths that are not simply "added" by `entry.layer`; see changeOf. */
  exceptions: Map<string, PathChange>;
  /** Deleted paths in tree order, at most `maxDeleted`. */
  deleted: DeletedEntry[];
  deletedTotal: number;
  /** Deleted paths left out by the cap (the last ones in tree order). */
  deletedOmitted: number;
};

export const DEFAULT_MAX_DELETED = 50_000;

export type ChangesOptions = { maxDeleted?: number };

/** The change of a final path: added or modified, and by which layer. */
export const changeOf = (changes: FilesystemChanges | undefined, path: string, entry: FinalEntry): PathChange =>
  changes?.exceptions.get(path) ?? { change: "added", layer: entry.layer };

/** Merges the layers and derives every path's change in the same pass. */
export const mergeWithChanges = (
  layers: Array<Pick<LayerIndex, "entries" | "captured">>,
  options: ChangesOptions = {},
  observer: Omit<MergeObserver, "onChange" | "onRemove"> = {},
): { filesystem: FinalFilesystem; changes: FilesystemChanges } => {
  const current = new Map<string, PathChange>();
  const removed = new Map<string, { entry: FinalEntry; byLayer: number }>();
  const filesystem = mergeLayers(layers, {
    ...observer,
    onRemove: (entry, byLayer) => {
      removed.set(entry.path, { entry, byLayer });
      current.delete(entry.path);
    },
    onChange: ({ path, layer, change }) => {
      if (change === "deleted") return;
      // Removed by this very layer's whiteout or opaque marker and put back: a modification.
      const putBack = change === "added" && removed.get(path)?.byLayer === layer;
      current.set(path, { change: putBack ? "modified" : change, layer });
    },
  });

  const exceptions = new Map<string, PathChange>();
  for (const [path, entry] of filesystem.entries) {
    const change = current.get(path);
    if (change && (change.change === "modified" || change.layer !== entry.layer)) exceptions.set(path, change);
  }

  const rows = new Map<string, DeletedEntry>();
  for (const [path, { entry, byLayer }] of removed) {
    if (filesystem.entries.has(path)) continue;
    rows.set(path, { path, kind: entry.kind, bytes: entry.kind === "file" ? entry.size : 0, entries: 0, layer: entry.layer, byLayer });
  }
  // A deleted directory sums what the same layer removed under it.
  for (const row of rows.values()) {
    for (let dir = parentOf(row.path); dir !== "/"; dir = parentOf(dir)) {
      const parent = rows.get(dir);
      if (!parent || parent.byLayer !== row.byLayer || parent.kind !== "dir") break;
      parent.bytes += row.kind === "file" ? (removed.get(row.path)!.entry.size) : 0;
      parent.entries += 1;
    }
  }
  const max = options.maxDeleted ?? DEFAULT_MAX_DELETED;
  const sorted = [...rows.values()].sort((a, b) => compareTreeOrder(a.path, b.path));
  return {
    filesystem,
    changes: { exceptions, deleted: sorted.slice(0, max), deletedTotal: sorted.length, deletedOmitted: Math.max(0, sorted.length - max) },
  };
};

// ---------------------------------------------------------------------------------------
// Paging the deleted paths (the file browser's "show deleted")

export type DeletedPage = { rows: DeletedEntry[]; total: number; nextCursor: string | null };

export type DeletedQuery = { path: string; depth?: number; query?: string; cursor?: string | null; limit: number };

/** Deleted paths under `path` (to `depth` levels, or containing `query`), in tree order, one page at a time. */
export const listDeleted = (changes: FilesystemChanges, { path, depth, query, cursor, limit }: DeletedQuery): DeletedPage => {
  const needle = query?.toLowerCase();
  const maxDepth = depth === undefined ? Infinity : depthOf(path) + Math.max(1, depth);
  const after = cursor ? treeKey(cursor) : null;
  const rows: DeletedEntry[] = [];
  let total = 0;
  let more = false;
  for (const row of changes.deleted) {
    if (path !== "/" && !isUnder(row.path, path)) continue;
    if (needle ? !row.path.toLowerCase().includes(needle) : depthOf(row.path) > maxDepth) continue;
    total += 1;
    if (after !== null && treeKey(row.path) <= after) continue;
    if (rows.length < limit) rows.push(row);
    else more = true;
  }
  return { rows, total, nextCursor: more ? rows[rows.length - 1].path : null };
};
