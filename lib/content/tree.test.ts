import { describe, expect, it } from "vitest";
import { buildTree, indexDirectories, listEntries, searchEntries, sortEntries, type ListingOptions } from "@/lib/content/tree";
import { makeFs, ownersByPrefix } from "./__fixtures__/make-fs";

// Layer 0 is the base image, 1 and 2 are the image's own.
const layers = [
  { index: 0, isFromBase: true },
  { index: 1, isFromBase: false },
  { index: 2, isFromBase: false },
];
const fs = makeFs([
  ["/usr/bin/python3", 6000, 0],
  ["/usr/bin/gcc-12", 1200, 1],
  ["/usr/bin-extra/tool", 5, 1],
  ["/usr/include/stdio.h", 300, 1],
  ["/usr/include/python3.11/Python.h", 700, 1],
  ["/usr/lib/libc.so.6", 2000, 0],
  ["/usr/lib/libexpat.so.1", "->libexpat.so.1.8.10", 0],
  ["/app/main.py", 100, 2],
  ["/app/a.txt", 1, 2],
  ["/app/b.txt", 2, 2],
  ["/app/c.txt", 3, 2],
  ["/tmp", "dir", 0],
]);
const index = indexDirectories(fs, layers);
const sorted = sortEntries(fs);
const options: ListingOptions = {
  layers,
  ownerOf: ownersByPrefix({ "/usr/bin/python3": "deb:python3.11", "/usr/include/stdio.h": "deb:libc6-dev" }),
  changes: { exceptions: new Map([["/usr/bin/python3", { change: "modified", layer: 0 }]]), deleted: [], deletedTotal: 0, deletedOmitted: 0 },
  limit: 100,
};

describe("indexDirectories", () => {
  it("sums every subtree's bytes and files, base and own apart", () => {
    // 11 entries, the symlink not counted as a file
    expect(index.totals.get("/")).toEqual({ bytes: 10311, files: 10, baseBytes: 8000, ownBytes: 2311 });
    expect(index.totals.get("/usr/bin")).toEqual({ bytes: 7200, files: 2, baseBytes: 6000, ownBytes: 1200 });
    expect(index.totals.get("/usr/include")).toEqual({ bytes: 1000, files: 2, baseBytes: 0, ownBytes: 1000 });
    expect(index.totals.get("/tmp")).toEqual({ bytes: 0, files: 0, baseBytes: 0, ownBytes: 0 });
  });
});

describe("buildTree", () => {
  it("nests the largest children to the given depth", () => {
    const tree = buildTree(fs, index, layers, "/", { depth: 2 })!;
    expect(tree).toMatchObject({ path: "/", bytes: 10311, kind: "dir" });
    expect(tree.children!.map((c) => [c.path, c.bytes])).toEqual([
      ["/usr", 10205],
      ["/app", 106],
      ["/tmp", 0],
    ]);
    const usr = tree.children![0];
    expect(usr.children!.map((c) => c.path)).toEqual(["/usr/bin", "/usr/lib", "/usr/include", "/usr/bin-extra"]);
    expect(usr.children![0].children).toBeUndefined(); // depth 2 stops here
  });

  it("puts the children beyond topN in one 'other' bucket that keeps the sums exact", () => {
    const app = buildTree(fs, index, layers, "/app", { depth: 1, topN: 2 })!;
    expect(app.children!.map((c) => [c.kind, c.name, c.bytes])).toEqual([
      ["file", "main.py", 100],
      ["file", "c.txt", 3],
      ["other", "2 more", 3],
    ]);
    expect(app.children!.reduce((n, c) => n + c.bytes, 0)).toBe(app.bytes);
    expect(app.children![2]).toMatchObject({ count: 2, files: 2, ownBytes: 3, baseBytes: 0 });
  });

  it("answers null for a path that does not exist", () => {
    expect(buildTree(fs, index, layers, "/nope")).toBeNull();
  });
});

describe("listEntries", () => {
  it("lists one level under a path in tree order, with layer, change, owner and subtree sizes", () => {
    const page = listEntries(fs, index, sorted, "/usr", 1, options);
    expect(page.rows.map((r) => r.path)).toEqual(["/usr/bin", "/usr/bin-extra", "/usr/include", "/usr/lib"]);
    expect(page.rows[0]).toEqual({ path: "/usr/bin", kind: "dir", size: 7200, layer: 0, isFromBase: true, change: "added", owner: null, linkTarget: null });
    const deep = listEntries(fs, index, sorted, "/usr/bin", 1, options).rows;
    expect(deep.map((r) => [r.path, r.change, r.owner, r.isFromBase])).toEqual([
      ["/usr/bin/gcc-12", "added", null, false],
      ["/usr/bin/python3", "modified", "deb:python3.11", true],
    ]);
  });

  it("descends to the given depth, directories before a sibling that shares their prefix", () => {
    const rows = listEntries(fs, index, sorted, "/usr", 2, options).rows.map((r) => r.path);
    expect(rows.slice(0, 4)).toEqual(["/usr/bin", "/usr/bin/gcc-12", "/usr/bin/python3", "/usr/bin-extra"]);
    expect(rows).toContain("/usr/include/python3.11");
    expect(rows).not.toContain("/usr/include/python3.11/Python.h");
  });

  it("pages with a cursor, never repeating or skipping a row", () => {
    const all = listEntries(fs, index, sorted, "/", 64, options);
    expect(all.total).toBe(fs.entries.size);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = listEntries(fs, index, sorted, "/", 64, { ...options, limit: 4, cursor });
      expect(page.total).toBe(all.total);
      seen.push(...page.rows.map((r) => r.path));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(all.rows.map((r) => r.path));
    expect(pages).toBe(Math.ceil(all.total / 4));
  });

  it("shows a symlink's target", () => {
    const rows = listEntries(fs, index, sorted, "/usr/lib", 1, options).rows;
    expect(rows.find((r) => r.kind === "symlink")).toMatchObject({ path: "/usr/lib/libexpat.so.1", linkTarget: "libexpat.so.1.8.10", size: 0 });
  });
});

describe("searchEntries", () => {
  it("finds paths containing the query, case-insensitively, with paging", () => {
    const page = searchEntries(fs, index, sorted, "/", "INCLUDE", options);
    expect(page.rows.map((r) => r.path)).toEqual(["/usr/include", "/usr/include/python3.11", "/usr/include/python3.11/Python.h", "/usr/include/stdio.h"]);
    const first = searchEntries(fs, index, sorted, "/", "include", { ...options, limit: 3 });
    expect(first.total).toBe(4);
    expect(first.nextCursor).toBe("/usr/include/python3.11/Python.h");
    const second = searchEntries(fs, index, sorted, "/", "include", { ...options, limit: 3, cursor: first.nextCursor });
    expect(second.rows.map((r) => r.path)).toEqual(["/usr/include/stdio.h"]);
    expect(second.nextCursor).toBeNull();
  });

  it("finds nothing for a query no path contains, and searches only under the given path", () => {
    expect(searchEntries(fs, index, sorted, "/", "/usr/local", options)).toEqual({ rows: [], total: 0, nextCursor: null });
    expect(searchEntries(fs, index, sorted, "/app", "usr", options).total).toBe(0);
  });
});
