// Path helpers shared by the content views: parent, ancestors, the depth-limited group of a
// path, and tree order ("/usr/bin/x" before "/usr/bin-foo", as a file browser lists them).
// Normalising and the parent are fs-paths.ts' (one definition for every content module).
export { normalisePath, dirnameOf as parentOf } from "@/lib/content/fs-paths";

export const baseName = (path: string): string => (path === "/" ? "/" : path.slice(path.lastIndexOf("/") + 1));

/** Number of segments: "/" → 0, "/usr" → 1, "/usr/bin/x" → 3. */
export const depthOf = (path: string): number => (path === "/" ? 0 : path.split("/").length - 1);

/** The ancestor of `path` at `depth` segments (or `path` itself when shallower). */
export const ancestorAt = (path: string, depth: number): string => {
  if (depth <= 0) return "/";
  const segments = path.split("/");
  return segments.length - 1 <= depth ? path : segments.slice(0, depth + 1).join("/");
};

export const isUnder = (path: string, directory: string): boolean =>
  directory === "/" ? path !== "/" : path.startsWith(`${directory}/`);

/** Sorts a path's segments before any sibling that merely shares a prefix (tree order). */
export const treeKey = (path: string): string => path.replaceAll("/", "\u0000");

export const compareTreeOrder = (a: string, b: string): number => {
  const ka = treeKey(a);
  const kb = treeKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

