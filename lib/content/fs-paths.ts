// Path lookups inside a FinalFilesystem the way the kernel does them: every component that is a
// symlink is followed (relative targets against the link's directory, absolute ones against the
// image root), with a bounded number of hops (Linux gives up after 40, ELOOP).
import type { FinalEntry, FinalFilesystem } from "@/lib/content/types";

export const MAX_SYMLINK_HOPS = 40;

export type Resolved =
  | { found: true; path: string; entry: FinalEntry | null }
  | { found: false; /** The first absolute path that does not exist (or the link that loops). */ missing: string; loop: boolean };

export const normalisePath = (path: string): string => {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (!part || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
};

export const dirnameOf = (path: string): string => {
  const at = path.lastIndexOf("/");
  return at <= 0 ? "/" : path.slice(0, at);
};

export const basenameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

export const joinPath = (dir: string, name: string): string => (name.startsWith("/") ? normalisePath(name) : normalisePath(`${dir}/${name}`));

const impliedDirsCache = new WeakMap<FinalFilesystem, Set<string>>();

/** Directories that have no entry of their own but hold entries (a layer tar may omit a parent directory's header). */
const impliedDirs = (fs: FinalFilesystem): Set<string> => {
  let dirs = impliedDirsCache.get(fs);
  if (!dirs) {
    dirs = new Set<string>();
    for (const path of fs.entries.keys()) {
      for (let dir = dirnameOf(path); dir !== "/" && !dirs.has(dir); dir = dirnameOf(dir)) dirs.add(dir);
    }
    impliedDirsCache.set(fs, dirs);
  }
  return dirs;
};

/**
 * Resolves `path` (absolute) through symlinks. A component without an entry of its own is taken
 * as a directory when the final path exists beneath it (layer tars may omit parent directories).
 * With `followFinal: false` the last component is not followed (lstat), its parent is.
 */
export const resolvePath = (
  fs: FinalFilesystem,
  path: string,
  options: { followFinal?: boolean; /** A last component without an entry is taken as an implied directory (for parent lookups). */ impliedDir?: boolean } = {},
): Resolved => {
  const followFinal = options.followFinal ?? true;
  let pending = normalisePath(path).split("/").filter(Boolean);
  let current = "/";
  let hops = 0;
  while (pending.length > 0) {
    const [name, ...rest] = pending;
    const candidate = current === "/" ? `/${name}` : `${current}/${name}`;
    const entry = fs.entries.get(candidate);
    const isLast = rest.length === 0;
    if (entry?.kind === "symlink" && entry.linkTarget !== undefined && (!isLast || followFinal)) {
      if (++hops > MAX_SYMLINK_HOPS) return { found: false, missing: candidate, loop: true };
      const target = entry.linkTarget;
      const base = target.startsWith("/") ? "/" : current;
      pending = [...normalisePath(`${base}/${target}`).split("/").filter(Boolean), ...rest];
      current = "/";
      continue;
    }
    if (!entry && isLast && !options.impliedDir && !impliedDirs(fs).has(candidate)) return { found: false, missing: candidate, loop: false };
    if (entry && !isLast && entry.kind !== "dir") return { found: false, missing: candidate, loop: false };
    current = candidate;
    pending = rest;
  }
  return { found: true, path: current, entry: fs.entries.get(current) ?? null };
};

/** The path with its parent directories resolved and its last component not followed: where a package database's path really lives. */
export const canonicalParent = (fs: FinalFilesystem, path: string, cache?: Map<string, string | null>): string | null => {
  const normal = normalisePath(path);
  const dir = dirnameOf(normal);
  let realDir = cache?.get(dir);
  if (realDir === undefined) {
    const resolved = dir === "/" ? ({ found: true, path: "/" } as const) : resolvePath(fs, dir, { impliedDir: true });
    realDir = resolved.found ? resolved.path : null;
    cache?.set(dir, realDir);
  }
  if (realDir === null || normal === "/") return realDir;
  return realDir === "/" ? `/${basenameOf(normal)}` : `${realDir}/${basenameOf(normal)}`;
};

/** The regular file an entry stands for: itself, or a hard link's target. */
export const regularFileOf = (fs: FinalFilesystem, entry: FinalEntry | null): FinalEntry | null => {
  if (!entry) return null;
  if (entry.kind === "file") return entry;
  if (entry.kind === "hardlink" && entry.linkTarget) {
    const target = fs.entries.get(normalisePath(entry.linkTarget));
    return target?.kind === "file" ? target : null;
  }
  return null;
};
