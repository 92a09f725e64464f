import { describe, expect, it } from "vitest";
import { diffContents, type ContentDiffSide } from "@/lib/content/diff";
import type { PackageRecord } from "@/lib/content/types";
import { makeFs, ownersByPrefix } from "./__fixtures__/make-fs";

const pkg = (name: string, version: string, bytes: number, ecosystem: PackageRecord["ecosystem"] = "deb"): PackageRecord => ({ ecosystem, name, version, bytes, files: 1, layer: 1 });

// A: single-stage (compiler, headers, the app); B: multi-stage (runtime only, the app rebuilt bigger).
const single: ContentDiffSide = {
  fs: makeFs([
    ["/usr/bin/python3", 6000, 0],
    ["/usr/bin/gcc-12", 1200, 1],
    ["/usr/bin/cc", "->gcc-12", 1],
    ["/usr/include/stdio.h", 300, 1],
    ["/usr/include/python3.11/Python.h", 700, 1],
    ["/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 9000, 1],
    ["/app/main.py", 100, 2],
    ["/app/ext.so", 500, 2, "aaaa"],
  ]),
  packages: [pkg("python3.11", "3.11.2", 6000), pkg("gcc-12", "12.2.0", 10200), pkg("libc6-dev", "2.36", 300), pkg("libpython3.11-dev", "3.11.2", 700)],
  ownerOf: ownersByPrefix({
    "/usr/bin/python3": "deb:python3.11",
    "/usr/bin/gcc-12": "deb:gcc-12",
    "/usr/lib/gcc": "deb:gcc-12",
    "/usr/include/stdio.h": "deb:libc6-dev",
    "/usr/include/python3.11": "deb:libpython3.11-dev",
  }),
};
const multi: ContentDiffSide = {
  fs: makeFs([
    ["/usr/bin/python3", 6000, 0],
    ["/app/main.py", 100, 2],
    ["/app/ext.so", 650, 2, "bbbb"],
    ["/venv/lib/site.py", 40, 2],
  ]),
  packages: [pkg("python3.11", "3.11.2", 6000), pkg("myapp", "1.0", 690, "python")],
  ownerOf: ownersByPrefix({ "/usr/bin/python3": "deb:python3.11", "/venv": "python:myapp" }),
};

describe("diffContents", () => {
  const diff = diffContents(single, multi);

  it("counts what B adds and removes against A, with exact bytes and totals", () => {
    expect(diff.totals).toMatchObject({
      filesA: 8,
      filesB: 4,
      bytesA: 6000 + 1200 + 300 + 700 + 9000 + 100 + 500,
      bytesB: 6000 + 100 + 650 + 40,
      added: 1,
      addedBytes: 40,
      removed: 5, // gcc-12, the cc symlink, two headers, cc1
      removedBytes: 1200 + 300 + 700 + 9000,
      resized: 1,
      changed: 0,
      delta: 40 - 11200 + 150,
    });
    expect(diff.totals.bytesB - diff.totals.bytesA).toBe(diff.totals.delta);
  });

  it("groups by top directories, largest first, each with its largest paths", () => {
    expect(diff.byDirectory.map((g) => [g.key, g.delta])).toEqual([
      ["/usr/lib", -9000],
      ["/usr/include", -1000],
      ["/usr/bin", -1200],
      ["/app", 150],
      ["/venv/lib", 40],
    ].sort((a, b) => Math.abs(b[1] as number) - Math.abs(a[1] as number)));
    const include = diff.byDirectory.find((g) => g.key === "/usr/include")!;
    expect(include.top.map((c) => c.path)).toEqual(["/usr/include/python3.11/Python.h", "/usr/include/stdio.h"]);
    expect(include.top[0]).toMatchObject({ change: "removed", sizeA: 700, sizeB: null, delta: -700, owner: "deb:libpython3.11-dev" });
    expect(diff.byDirectory.find((g) => g.key === "/app")!.top).toEqual([
      { path: "/app/ext.so", kind: "file", change: "resized", sizeA: 500, sizeB: 650, delta: 150, owner: null },
    ]);
  });

  it("groups by owning package, files without a package under the empty key", () => {
    const gcc = diff.byPackage.find((g) => g.key === "deb:gcc-12")!;
    expect(gcc).toMatchObject({ removed: 2, removedBytes: 10200, delta: -10200 });
    expect(diff.byPackage[0].key).toBe("deb:gcc-12");
    expect(diff.byPackage.find((g) => g.key === "")).toMatchObject({ removed: 1, resized: 1, delta: 150 }); // the cc symlink and ext.so
  });

  it("lists the roots of directories present on one side only, with their bytes", () => {
    expect(diff.directories).toEqual([
      { path: "/usr/lib", change: "removed", files: 1, bytes: 9000 },
      { path: "/usr/include", change: "removed", files: 2, bytes: 1000 },
      { path: "/venv", change: "added", files: 1, bytes: 40 },
    ]);
    expect(diff.totals).toMatchObject({ dirsAdded: 1, dirsRemoved: 2 });
  });

  it("lists packages added, removed and changed, largest first", () => {
    expect(diff.packages.map((p) => [p.key, p.change, p.delta])).toEqual([
      ["deb:gcc-12", "removed", -10200],
      ["deb:libpython3.11-dev", "removed", -700],
      ["python:myapp", "added", 690],
      ["deb:libc6-dev", "removed", -300],
    ]);
    expect(diff.totals).toMatchObject({ packagesAdded: 1, packagesRemoved: 3, packagesChanged: 0 });
  });

  it("is bounded: top paths per group and groups, with counts of the rest", () => {
    const small = diffContents(single, multi, { topPerGroup: 1, maxGroups: 2, maxDirectories: 1, maxPackages: 2 });
    expect(small.byDirectory).toHaveLength(2);
    expect(small.byDirectoryMore).toBe(3);
    // /usr/lib moves 9000 bytes, /usr/bin 1200 (gcc-12 and the cc symlink), /usr/include 1000
    expect(small.byDirectory.map((g) => [g.key, g.top.length, g.more])).toEqual([
      ["/usr/lib", 1, 0],
      ["/usr/bin", 1, 1],
    ]);
    expect(small.directoriesMore).toBe(2);
    expect(small.packagesMore).toBe(2);
  });

  it("sees a content change of the same size through the hash, and a retargeted symlink", () => {
    const a = { ...multi, fs: makeFs([["/app/x", 10, 2, "aaaa"], ["/bin/sh", "->dash", 0]]) };
    const b = { ...multi, fs: makeFs([["/app/x", 10, 2, "cccc"], ["/bin/sh", "->bash", 0]]) };
    const d = diffContents(a, b);
    expect(d.totals).toMatchObject({ changed: 2, resized: 0, added: 0, removed: 0, delta: 0 });
  });

  it("finds nothing between a filesystem and itself", () => {
    const d = diffContents(single, single);
    expect(d.totals).toMatchObject({ added: 0, removed: 0, resized: 0, changed: 0, delta: 0, dirsAdded: 0, dirsRemoved: 0 });
    expect(d.byDirectory).toEqual([]);
    expect(d.packages).toEqual([]);
  });
});
