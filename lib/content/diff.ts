// The content diff of two builds' final filesystems: files, directories and packages present
// in one and not the other, and size changes, grouped by top directories and by owning
// package, largest first, with totals. Bounded: `topPerGroup` paths per group and `maxGroups`
// groups, with counts of what was left out.
import { ancestorAt, compareTreeOrder, parentOf } from "@/lib/content/path-order";
import type { EntryKind, FinalFilesystem, PackageEcosystem, PackageRecord } from "@/lib/content/types";

export type ContentDiffSide = {
  fs: FinalFilesystem;
  packages: PackageRecord[];
  /** "deb:libexpat1" style owner of a path (lib/content/packages.ts findPackages). */
  ownerOf: (path: string) => string | undefined;
};

export type PathChangeKind = "added" | "removed" | "resized" | "changed";

export type PathChange = {
  path: string;
  kind: EntryKind;
  change: PathChangeKind;
  /** Regular-file bytes on each side; null where the path does not exist. */
  sizeA: number | null;
  sizeB: number | null;
  /** sizeB − sizeA (a removed file counts negative). */
  delta: number;
  /** Owning package on the side the path exists on (B first). */
  owner: string | null;
};

export type ChangeCounts = { added: number; addedBytes: number; removed: number; removedBytes: number; resized: number; changed: number; delta: number };

export type DiffGroup = ChangeCounts & {
  /** A directory ("/usr/include") or a package key ("deb:gcc-12"; "" for files no package owns). */
  key: string;
  /** The largest changes of the group by |delta|, then path. */
  top: PathChange[];
  /** Changes of the group not in `top`. */
  more: number;
};

/** A directory that exists on one side only and whose parent exists on both: the root of an added or removed subtree. */
export type DirectoryChange = { path: string; change: "added" | "removed"; files: number; bytes: number };

export type PackageChange = {
  key: string;
  ecosystem: PackageEcosystem;
  name: string;
  change: "added" | "removed" | "resized" | "version";
  versionA: string | null;
  versionB: string | null;
  bytesA: number;
  bytesB: number;
  delta: number;
};

export type ContentDiff = {
  totals: ChangeCounts & {
    filesA: number;
    filesB: number;
    bytesA: number;
    bytesB: number;
    dirsAdded: number;
    dirsRemoved: number;
    packagesAdded: number;
    packagesRemoved: number;
    packagesChanged: number;
  };
  /** Grouped by the path's ancestor at `groupDepth`, largest |delta| first. */
  byDirectory: DiffGroup[];
  byDirectoryMore: number;
  /** Grouped by owning package, largest |delta| first. */
  byPackage: DiffGroup[];
  byPackageMore: number;
  directories: DirectoryChange[];
  directoriesMore: number;
  packages: PackageChange[];
  packagesMore: number;
  groupDepth: number;
};

export type ContentDiffOptions = { groupDepth?: number; topPerGroup?: number; maxGroups?: number; maxDirectories?: number; maxPackages?: number };

export const DIFF_DEFAULTS = { groupDepth: 2, topPerGroup: 10, maxGroups: 30, maxDirectories: 30, maxPackages: 50 } as const;

export const packageKey = (p: Pick<PackageRecord, "ecosystem" | "name">) => `${p.ecosystem}:${p.name}`;

const emptyCounts = (): ChangeCounts => ({ added: 0, addedBytes: 0, removed: 0, removedBytes: 0, resized: 0, changed: 0, delta: 0 });

const count = (counts: ChangeCounts, change: PathChange) => {
  counts.delta += change.delta;
  if (change.change === "added") {
    counts.added += 1;
    counts.addedBytes += change.sizeB ?? 0;
  } else if (change.change === "removed") {
    counts.removed += 1;
    counts.removedBytes += change.sizeA ?? 0;
  } else if (change.change === "resized") counts.resized += 1;
  else counts.changed += 1;
};

const byMagnitude = (a: { delta: number; key?: string; path?: string }, b: { delta: number; key?: string; path?: string }) =>
  Math.abs(b.delta) - Math.abs(a.delta) || compareTreeOrder(a.key ?? a.path ?? "", b.key ?? b.path ?? "");

const fileBytes = (kind: EntryKind, size: number) => (kind === "file" ? size : 0);

// Directories are not "changes" of their own (their subtrees are); every other kind is.
const comparePaths = (a: ContentDiffSide, b: ContentDiffSide): PathChange[] => {
  const changes: PathChange[] = [];
  for (const [path, entryB] of b.fs.entries) {
    if (entryB.kind === "dir") continue;
    const entryA = a.fs.entries.get(path);
    const sizeB = fileBytes(entryB.kind, entryB.size);
    const owner = b.ownerOf(path) ?? null;
    if (!entryA || entryA.kind === "dir") {
      changes.push({ path, kind: entryB.kind, change: "added", sizeA: null, sizeB, delta: sizeB, owner });
      continue;
    }
    const sizeA = fileBytes(entryA.kind, entryA.size);
    if (sizeA !== sizeB) changes.push({ path, kind: entryB.kind, change: "resized", sizeA, sizeB, delta: sizeB - sizeA, owner });
    else if (
      entryA.kind !== entryB.kind ||
      (entryA.sha256 && entryB.sha256 && entryA.sha256 !== entryB.sha256) ||
      (entryA.linkTarget ?? null) !== (entryB.linkTarget ?? null)
    )
      changes.push({ path, kind: entryB.kind, change: "changed", sizeA, sizeB, delta: 0, owner });
  }
  for (const [path, entryA] of a.fs.entries) {
    if (entryA.kind === "dir") continue;
    const entryB = b.fs.entries.get(path);
    if (entryB && entryB.kind !== "dir") continue;
    const sizeA = fileBytes(entryA.kind, entryA.size);
    changes.push({ path, kind: entryA.kind, change: "removed", sizeA, sizeB: null, delta: -sizeA, owner: a.ownerOf(path) ?? null });
  }
  return changes;
};

const groupChanges = (changes: PathChange[], keyOf: (c: PathChange) => string, topPerGroup: number, maxGroups: number) => {
  const groups = new Map<string, { counts: ChangeCounts; changes: PathChange[] }>();
  for (const change of changes) {
    const key = keyOf(change);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { counts: emptyCounts(), changes: [] }));
    count(group.counts, change);
    group.changes.push(change);
  }
  const all: DiffGroup[] = [...groups].map(([key, group]) => {
    const sorted = group.changes.sort(byMagnitude);
    return { key, ...group.counts, top: sorted.slice(0, topPerGroup), more: Math.max(0, sorted.length - topPerGroup) };
  });
  // A group's weight is what it moves either way: 100 MB added and 100 MB removed is not "no change".
  const weight = (g: DiffGroup) => g.addedBytes + g.removedBytes + Math.abs(g.delta);
  all.sort((x, y) => weight(y) - weight(x) || compareTreeOrder(x.key, y.key));
  return { groups: all.slice(0, maxGroups), more: Math.max(0, all.length - maxGroups) };
};

const isDir = (side: ContentDiffSide, path: string) => side.fs.entries.get(path)?.kind === "dir" || path === "/";

// Roots of subtrees that exist on one side only, with the bytes and files beneath them.
const compareDirectories = (from: ContentDiffSide, to: ContentDiffSide, change: "added" | "removed"): DirectoryChange[] => {
  const roots = new Map<string, DirectoryChange>();
  for (const [path, entry] of to.fs.entries) {
    if (entry.kind === "dir" && !isDir(from, path) && isDir(from, parentOf(path)))
      roots.set(path, { path, change, files: 0, bytes: 0 });
  }
  if (!roots.size) return [];
  for (const [path, entry] of to.fs.entries) {
    if (entry.kind === "dir") continue;
    // Walk up to the nearest root; most paths leave at once because their parent exists on both sides.
    for (let dir = parentOf(path); ; dir = parentOf(dir)) {
      const root = roots.get(dir);
      if (root) {
        root.files += 1;
        root.bytes += fileBytes(entry.kind, entry.size);
        break;
      }
      if (dir === "/" || isDir(from, dir)) break;
    }
  }
  return [...roots.values()];
};

const sumPackages = (packages: PackageRecord[]) => {
  const byKey = new Map<string, PackageRecord>();
  for (const p of packages) {
    const key = packageKey(p);
    const seen = byKey.get(key);
    // The same distribution in two site-packages (a venv and the system): one row, bytes summed.
    byKey.set(key, seen ? { ...seen, bytes: seen.bytes + p.bytes, files: seen.files + p.files } : p);
  }
  return byKey;
};

const comparePackages = (a: PackageRecord[], b: PackageRecord[]): PackageChange[] => {
  const inA = sumPackages(a);
  const inB = sumPackages(b);
  const changes: PackageChange[] = [];
  for (const key of new Set([...inA.keys(), ...inB.keys()])) {
    const pa = inA.get(key);
    const pb = inB.get(key);
    const p = (pb ?? pa)!;
    const bytesA = pa?.bytes ?? 0;
    const bytesB = pb?.bytes ?? 0;
    const change = !pa ? "added" : !pb ? "removed" : pa.version !== pb.version ? "version" : bytesA !== bytesB ? "resized" : null;
    if (!change) continue;
    changes.push({ key, ecosystem: p.ecosystem, name: p.name, change, versionA: pa?.version ?? null, versionB: pb?.version ?? null, bytesA, bytesB, delta: bytesB - bytesA });
  }
  return changes.sort(byMagnitude);
};

const countFiles = (fs: FinalFilesystem) => {
  let files = 0;
  let bytes = 0;
  for (const entry of fs.entries.values()) {
    if (entry.kind === "dir") continue;
    files += 1;
    bytes += fileBytes(entry.kind, entry.size);
  }
  return { files, bytes };
};

/** What B has that A has not, and the reverse: B − A. */
export const diffContents = (a: ContentDiffSide, b: ContentDiffSide, options: ContentDiffOptions = {}): ContentDiff => {
  const { groupDepth, topPerGroup, maxGroups, maxDirectories, maxPackages } = { ...DIFF_DEFAULTS, ...options };
  const changes = comparePaths(a, b);
  const totals = emptyCounts();
  for (const change of changes) count(totals, change);
  const byDirectory = groupChanges(changes, (c) => ancestorAt(parentOf(c.path), groupDepth), topPerGroup, maxGroups);
  const byPackage = groupChanges(changes, (c) => c.owner ?? "", topPerGroup, maxGroups);
  const added = compareDirectories(a, b, "added");
  const removed = compareDirectories(b, a, "removed");
  const directories = [...added, ...removed].sort((x, y) => y.bytes - x.bytes || compareTreeOrder(x.path, y.path));
  const packages = comparePackages(a.packages, b.packages);
  const sideA = countFiles(a.fs);
  const sideB = countFiles(b.fs);
  return {
    totals: {
      ...totals,
      filesA: sideA.files,
      filesB: sideB.files,
      bytesA: sideA.bytes,
      bytesB: sideB.bytes,
      dirsAdded: added.length,
      dirsRemoved: removed.length,
      packagesAdded: packages.filter((p) => p.change === "added").length,
      packagesRemoved: packages.filter((p) => p.change === "removed").length,
      packagesChanged: packages.filter((p) => p.change === "resized" || p.change === "version").length,
    },
    byDirectory: byDirectory.groups,
    byDirectoryMore: byDirectory.more,
    byPackage: byPackage.groups,
    byPackageMore: byPackage.more,
    directories: directories.slice(0, maxDirectories),
    directoriesMore: Math.max(0, directories.length - maxDirectories),
    packages: packages.slice(0, maxPackages),
    packagesMore: Math.max(0, packages.length - maxPackages),
    groupDepth,
  };
};
