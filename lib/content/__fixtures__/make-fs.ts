// Hand-made final filesystems for the content views' unit tests: a compact list of
// "path size layer" (a size of "dir" makes a directory, "->target" a symlink); parent
// directories are added in the lowest layer that needs them, as a tar would list them.
import type { FinalEntry, FinalFilesystem } from "@/lib/content/types";
import { parentOf } from "@/lib/content/path-order";

type Spec = [path: string, size: number | "dir" | `->${string}`, layer: number, sha256?: string];

export const makeFs = (specs: Spec[]): FinalFilesystem => {
  const entries = new Map<string, FinalEntry>();
  const addDir = (path: string, layer: number) => {
    if (path === "/" || entries.has(path)) return;
    addDir(parentOf(path), layer);
    entries.set(path, { path, kind: "dir", size: 0, mode: 0o40755, uid: 0, gid: 0, layer });
  };
  for (const [path, size, layer, sha256] of specs) {
    addDir(parentOf(path), layer);
    if (size === "dir") addDir(path, layer);
    else if (typeof size === "string")
      entries.set(path, { path, kind: "symlink", size: 0, mode: 0o120777, uid: 0, gid: 0, layer, linkTarget: size.slice(2) });
    else entries.set(path, { path, kind: "file", size, mode: 0o100644, uid: 0, gid: 0, layer, ...(sha256 ? { sha256 } : {}) });
  }
  return { entries, captured: new Map() };
};

/** ownerOf from a prefix table: the first prefix a path starts with names its package. */
export const ownersByPrefix = (table: Record<string, string>) => (path: string) =>
  Object.entries(table).find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))?.[1];
