// Directory aggregates of a final filesystem (for the treemap and its table) and the file
// browser's listing and search, each bounded: a treemap node has at most `topN` children
// plus one "other" bucket; a listing returns one page of rows and a cursor to the next.
import { baseName, compareTreeOrder, depthOf, isUnder, parentOf, treeKey } from "@/lib/content/path-order";
import type { EntryKind, FinalEntry, FinalFilesystem } from "@/lib/content/types";
import { changeOf, type FilesystemChanges } from "@/lib/content/changes";

export type LayerOrigin = { index: number; isFromBase: boolean };

/** `files`: regular files and hard links (symlinks and special files are not counted). */
export type DirectoryTotals = { bytes: number; files: number; baseBytes: number; ownBytes: number };

export type TreeNode = DirectoryTotals & {
  path: string;
  name: string;
  kind: "dir" | "file" | "other";
  /** For "other": how many entries it stands for. */
  count?: number;
  children?: TreeNode[];
};

export type TreeOptions = { depth?: number; topN?: number };

export const TREE_DEFAULTS = { depth: 2, topN: 12 } as const;
export const TREE_LIMITS = { maxDepth: 4, maxTopN: 50 } as const;

/** Totals of every directory (its whole subtree) in one pass over the entries. */
export type DirectoryIndex = {
  totals: Map<string, DirectoryTotals>;
  /** Direct children (directories and non-directories) of each directory. */
  children: Map<string, string[]>;
};

const emptyTotals = (): DirectoryTotals => ({ bytes: 0, files: 0, baseBytes: 0, ownBytes: 0 });

const isBaseLayer = (layers: LayerOrigin[], layer: number) => layers.find((l) => l.index === layer)?.isFromBase ?? false;

const entryBytes = (entry: FinalEntry) => (entry.kind === "file" ? entry.size : 0);
const isFile = (entry: FinalEntry) => entry.kind === "file" || entry.kind === "hardlink";

export const indexDirectories = (fs: FinalFilesystem, layers: LayerOrigin[]): DirectoryIndex => {
  const base = new Set(layers.filter((l) => l.isFromBase).map((l) => l.index));
  const totals = new Map<string, DirectoryTotals>([["/", emptyTotals()]]);
  const children = new Map<string, string[]>();
  const totalsOf = (dir: string) => {
    let t = totals.get(dir);
    if (!t) totals.set(dir, (t = emptyTotals()));
    return t;
  };
  for (const [path, entry] of fs.entries) {
    if (path === "/") continue;
    const parent = parentOf(path);
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(path);
    if (entry.kind === "dir") {
      totalsOf(path);
      continue;
    }
    const bytes = entryBytes(entry);
    const files = isFile(entry) ? 1 : 0;
    const fromBase = base.has(entry.layer);
    for (let dir = parent; ; dir = parentOf(dir)) {
      const t = totalsOf(dir);
      t.bytes += bytes;
      t.files += files;
      if (fromBase) t.baseBytes += bytes;
      else t.ownBytes += bytes;
      if (dir === "/") break;
    }
  }
  // A parent directory missing from the tar (rare, but legal) still needs its children listed.
  for (const dir of totals.keys()) {
    if (dir === "/") continue;
    const parent = parentOf(dir);
    const list = children.get(parent) ?? [];
    if (!children.has(parent)) children.set(parent, list);
    if (!fs.entries.has(dir) && !list.includes(dir)) list.push(dir);
  }
  return { totals, children };
};

const fileNode = (path: string, entry: FinalEntry, layers: LayerOrigin[]): TreeNode => {
  const bytes = entryBytes(entry);
  const fromBase = isBaseLayer(layers, entry.layer);
  return { path, name: baseName(path), kind: "file", bytes, files: isFile(entry) ? 1 : 0, baseBytes: fromBase ? bytes : 0, ownBytes: fromBase ? 0 : bytes };
};

/**
 * The subtree at `path`, `depth` levels deep, each node's children the `topN` largest
 * (directories and files alike) plus an "other" bucket that sums the rest.
 */
export const buildTree = (fs: FinalFilesystem, index: DirectoryIndex, layers: LayerOrigin[], path: string, options: TreeOptions = {}): TreeNode | null => {
  const depth = Math.min(options.depth ?? TREE_DEFAULTS.depth, TREE_LIMITS.maxDepth);
  const topN = Math.min(options.topN ?? TREE_DEFAULTS.topN, TREE_LIMITS.maxTopN);
  const make = (nodePath: string, level: number): TreeNode | null => {
    const totals = index.totals.get(nodePath);
    if (!totals) {
      const entry = fs.entries.get(nodePath);
      return entry ? fileNode(nodePath, entry, layers) : null;
    }
    const node: TreeNode = { path: nodePath, name: baseName(nodePath), kind: "dir", ...totals };
    if (level >= depth) return node;
    const kids = (index.children.get(nodePath) ?? [])
      .map((child) => (index.totals.has(child) ? { path: child, bytes: index.totals.get(child)!.bytes } : { path: child, bytes: entryBytes(fs.entries.get(child)!) }))
      .sort((a, b) => b.bytes - a.bytes || compareTreeOrder(a.path, b.path));
    const shown = kids.slice(0, topN).map((k) => make(k.path, level + 1)!);
    const rest = kids.slice(topN);
    if (rest.length) {
      const other: TreeNode = { path: `${nodePath === "/" ? "" : nodePath}/…`, name: `${rest.length} more`, kind: "other", count: rest.length, ...emptyTotals() };
      for (const k of rest) {
        const n = make(k.path, depth)!;
        other.bytes += n.bytes;
        other.files += n.files;
        other.baseBytes += n.baseBytes;
        other.ownBytes += n.ownBytes;
      }
      shown.push(other);
    }
    node.children = shown;
    return node;
  };
  return make(path, 0);
};

// ---------------------------------------------------------------------------------------
// The file browser

export type FileRow = {
  path: string;
  kind: EntryKind;
  /** Regular-file bytes; for a directory, the bytes of its whole subtree. */
  size: number;
  /** The layer that put the path there: for a directory, the one that added it or last changed its mode/uid/gid (not a later layer that merely re-listed it). */
  layer: number;
  isFromBase: boolean;
  /** "modified" when a lower layer's version was visible when `layer` put it there, else "added" (rules: lib/content/changes.ts). */
  change: "added" | "modified";
  owner: string | null;
  linkTarget: string | null;
};

export type FilePage = { rows: FileRow[]; total: number; nextCursor: string | null };

export type ListingOptions = {
  layers: LayerOrigin[];
  ownerOf: (path: string) => string | undefined;
  /** Each path's change (mergeWithChanges); without it every row is "added" by its entry's layer. */
  changes?: FilesystemChanges;
  cursor?: string | null;
  limit: number;
};

export const LISTING_LIMITS = { maxLimit: 500, defaultLimit: 200, maxDepth: 64, maxQuery: 200 } as const;

/** Entries in tree order, sorted once per filesystem and reused for every page. */
export type SortedEntries = { paths: string[]; keys: string[] };

export const sortEntries = (fs: FinalFilesystem): SortedEntries => {
  const paths = [...fs.entries.keys()].filter((p) => p !== "/").sort(compareTreeOrder);
  return { paths, keys: paths.map(treeKey) };
};

// First index whose key is > cursor's key (binary search), so paging never skips or repeats.
const startAfter = (sorted: SortedEntries, cursor: string | null | undefined) => {
  if (!cursor) return 0;
  const key = treeKey(cursor);
  let lo = 0;
  let hi = sorted.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted.keys[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const toRow = (fs: FinalFilesystem, index: DirectoryIndex | null, path: string, options: ListingOptions): FileRow => {
  const entry = fs.entries.get(path)!;
  const { change, layer } = changeOf(options.changes, path, entry);
  return {
    path,
    kind: entry.kind,
    size: entry.kind === "dir" ? (index?.totals.get(path)?.bytes ?? 0) : entryBytes(entry),
    layer,
    isFromBase: isBaseLayer(options.layers, layer),
    change,
    owner: options.ownerOf(path) ?? null,
    linkTarget: entry.linkTarget ?? null,
  };
};

const page = (fs: FinalFilesystem, index: DirectoryIndex | null, sorted: SortedEntries, match: (path: string) => boolean, range: [number, number], options: ListingOptions): FilePage => {
  const [from, to] = range;
  const start = Math.max(from, startAfter(sorted, options.cursor));
  const limit = Math.max(1, Math.min(options.limit, LISTING_LIMITS.maxLimit));
  const rows: FileRow[] = [];
  let total = 0;
  let last: string | null = null;
  let more = false;
  for (let i = from; i < to; i += 1) {
    const path = sorted.paths[i];
    if (!match(path)) continue;
    total += 1;
    if (i < start) continue;
    if (rows.length < limit) {
      rows.push(toRow(fs, index, path, options));
      last = path;
    } else more = true;
  }
  return { rows, total, nextCursor: more ? last : null };
};

// The contiguous range of tree-ordered paths under `directory`.
const rangeUnder = (sorted: SortedEntries, directory: string): [number, number] => {
  if (directory === "/") return [0, sorted.paths.length];
  const from = startAfter(sorted, directory);
  let to = from;
  while (to < sorted.paths.length && isUnder(sorted.paths[to], directory)) to += 1;
  return [from, to];
};

/** Entries under `path`, at most `depth` levels below it, in tree order, one page at a time. */
export const listEntries = (
  fs: FinalFilesystem,
  index: DirectoryIndex | null,
  sorted: SortedEntries,
  path: string,
  depth: number,
  options: ListingOptions,
): FilePage => {
  const maxDepth = depthOf(path) + Math.max(1, Math.min(depth, LISTING_LIMITS.maxDepth));
  return page(fs, index, sorted, (p) => depthOf(p) <= maxDepth, rangeUnder(sorted, path), options);
};

/** Entries whose path contains `query` (case-insensitive), under `path`, one page at a time. */
export const searchEntries = (
  fs: FinalFilesystem,
  index: DirectoryIndex | null,
  sorted: SortedEntries,
  path: string,
  query: string,
  options: ListingOptions,
): FilePage => {
  const needle = query.slice(0, LISTING_LIMITS.maxQuery).toLowerCase();
  return page(fs, index, sorted, (p) => p.toLowerCase().includes(needle), rangeUnder(sorted, path), options);
};
