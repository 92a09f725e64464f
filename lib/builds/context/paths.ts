// Path checks shared by the context modules: containment tests that do not trust symlinks.
import "server-only";
import fs from "node:fs/promises";
import path from "node:path";

/** True when `target` is `root` or lies under it, compared lexically on absolute paths. */
export const isInside = (root: string, target: string): boolean => {
  const relative = path.relative(root, target);
  return relative === "" || (!relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative));
};

/** Splits an archive-style relative path into segments, dropping "" and "." ones. */
export const splitSegments = (name: string): string[] => name.split("/").filter((s) => s !== "" && s !== ".");

export const hasNul = (value: string): boolean => value.includes("\0");

const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves `relative` under `root` the way the kernel would, following symlinks one
 * component at a time, and returns null as soon as the walk leaves `root` (through `..`,
 * an absolute link or a link that climbs out). Missing components are fine: the rest of
 * the path is joined lexically, since nothing there can be a link.
 */
export const resolveWithin = async (root: string, relative: string): Promise<string | null> => {
  const pending = splitSegments(relative);
  const current: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const segment = pending.shift()!;
    if (segment === "..") {
      if (current.length === 0) return null;
      current.pop();
      continue;
    }
    const candidate = path.join(root, ...current, segment);
    let stat;
    try {
      stat = await fs.lstat(candidate);
    } catch {
      // A missing component followed by `..` could only be resolved lexically; be strict.
      if (pending.includes("..")) return null;
      return path.join(root, ...current, segment, ...pending);
    }
    if (!stat.isSymbolicLink()) {
      current.push(segment);
      continue;
    }
    if (++hops > MAX_SYMLINK_HOPS) return null;
    const link = await fs.readlink(candidate);
    if (path.isAbsolute(link)) return null;
    pending.unshift(...link.split("/").filter((s) => s !== "" && s !== "."));
  }
  return path.join(root, ...current);
};
