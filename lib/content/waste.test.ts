import { describe, expect, it } from "vitest";
import { indexLayerTar, type LayerContent } from "@/lib/content/layer-index";
import { listLayerChanges, mergeLayers } from "@/lib/content/filesystem";
import { mergeWithWaste } from "@/lib/content/waste";
import { bytesOf, packTar, type TarEntrySpec } from "@/lib/content/test-tars";

const layer = async (entries: TarEntrySpec[]): Promise<LayerContent> => indexLayerTar(await packTar(entries));
const layers = (...specs: TarEntrySpec[][]) => Promise.all(specs.map(layer));
const dir = (name: string): TarEntrySpec => ({ name, type: "directory" });

describe("merge and exact waste", () => {
  it("counts an overwritten lower copy once and never the surviving copy", async () => {
    const stack = await layers(
      [dir("app/"), { name: "app/data.bin", content: bytesOf(5000, 1) }],
      [dir("app/"), { name: "app/data.bin", content: bytesOf(3000, 2) }],
      [dir("app/"), { name: "app/data.bin", content: bytesOf(2000, 3) }],
    );
    const { filesystem, waste } = mergeWithWaste(stack, { firstOwnLayer: 1 });
    expect(filesystem.entries.get("/app/data.bin")).toMatchObject({ size: 2000, layer: 2, kind: "file" });
    // 5000 in the base layer (overwritten by layer 1), 3000 in own layer 1 (overwritten by layer 2); the 2000 survive.
    expect(waste.baseReclaimableBytes).toBe(5000);
    expect(waste.ownReclaimableBytes).toBe(3000);
    expect(waste.items).toEqual([
      { path: "/app/data.bin", bytes: 5000, layer: 0, byLayer: 1, reason: "overwritten" },
      { path: "/app/data.bin", bytes: 3000, layer: 1, byLayer: 2, reason: "overwritten" },
    ]);
    expect(waste.duplicateBytes).toBe(0);
  });

  it("counts a file deleted by a whiteout in a later layer", async () => {
    const stack = await layers(
      [dir("tmp/"), { name: "tmp/keep", content: "k" }],
      [dir("tmp/"), { name: "tmp/big.tgz", content: bytesOf(10_000) }],
      [dir("tmp/"), { name: "tmp/.wh.big.tgz" }],
    );
    expect(stack[2].entries.find((e) => e.kind === "whiteout")).toMatchObject({ path: "/tmp/big.tgz", kind: "whiteout" });
    const { filesystem, waste } = mergeWithWaste(stack, { firstOwnLayer: 1 });
    expect(filesystem.entries.has("/tmp/big.tgz")).toBe(false);
    expect(filesystem.entries.has("/tmp/keep")).toBe(true);
    expect(waste.ownReclaimableBytes).toBe(10_000);
    expect(waste.baseReclaimableBytes).toBe(0);
    expect(waste.items).toEqual([{ path: "/tmp/big.tgz", bytes: 10_000, layer: 1, byLayer: 2, reason: "deleted" }]);
  });

  it("counts everything under a directory deleted whole (whiteout) or emptied (opaque)", async () => {
    const stack = await layers(
      [
        dir("var/"), dir("var/lib/"), dir("var/lib/apt/"), dir("var/lib/apt/lists/"),
        { name: "var/lib/apt/lists/a", content: bytesOf(100) },
        dir("var/lib/apt/lists/partial/"),
        { name: "var/lib/apt/lists/partial/b", content: bytesOf(200) },
        dir("d/"), { name: "d/x", content: bytesOf(300) }, dir("d/sub/"), { name: "d/sub/y", content: bytesOf(400) },
      ],
      [dir("var/"), dir("var/lib/"), { name: "var/lib/.wh.apt" }],
      [dir("d/"), { name: "d/.wh..wh..opq" }, { name: "d/new", content: bytesOf(50) }],
    );
    expect(stack[2].entries.find((e) => e.kind === "opaque")).toMatchObject({ path: "/d" });
    const { filesystem, waste } = mergeWithWaste(stack, { firstOwnLayer: 0 });
    expect([...filesystem.entries.keys()].sort()).toEqual(["/d", "/d/new", "/var", "/var/lib"]);
    expect(waste.ownReclaimableBytes).toBe(100 + 200 + 300 + 400);
    expect(waste.items.map((item) => [item.path, item.byLayer, item.reason])).toEqual([
      ["/d/sub/y", 2, "deleted"],
      ["/d/x", 2, "deleted"],
      ["/var/lib/apt/lists/partial/b", 1, "deleted"],
      ["/var/lib/apt/lists/a", 1, "deleted"],
    ]);
  });

  it("keeps bytes a hard link still reaches, and counts them once every link is gone", async () => {
    const stack = await layers(
      [
        dir("usr/"), { name: "usr/a", content: bytesOf(6000, 4) },
        { name: "usr/b", type: "link", linkname: "usr/a" },
        { name: "usr/c", type: "link", linkname: "usr/a" },
      ],
      [dir("usr/"), { name: "usr/.wh.a" }],
    );
    expect(stack[0].entries.find((e) => e.path === "/usr/b")).toMatchObject({ kind: "hardlink", size: 0, linkTarget: "/usr/a" });
    expect(stack[0].stats).toMatchObject({ files: 1, hardlinks: 2, fileBytes: 6000 });
    const { filesystem, waste } = mergeWithWaste(stack, { firstOwnLayer: 0 });
    expect(waste.ownReclaimableBytes).toBe(0);
    // The first surviving link owns the bytes now; the other points to it.
    expect(filesystem.entries.get("/usr/b")).toMatchObject({ kind: "file", size: 6000, layer: 0 });
    expect(filesystem.entries.get("/usr/c")).toMatchObject({ kind: "hardlink", linkTarget: "/usr/b", size: 0 });

    const gone = await layers(
      [dir("usr/"), { name: "usr/a", content: bytesOf(6000, 4) }, { name: "usr/b", type: "link", linkname: "usr/a" }],
      [dir("usr/"), { name: "usr/.wh.a" }, { name: "usr/.wh.b" }],
    );
    const second = mergeWithWaste(gone, { firstOwnLayer: 0 });
    expect(second.waste.ownReclaimableBytes).toBe(6000);
    expect(second.waste.items).toEqual([{ path: "/usr/a", bytes: 6000, layer: 0, byLayer: 1, reason: "deleted" }]);
  });

  it("counts a file deleted and re-added once, and reports each change", async () => {
    const stack = await layers(
      [dir("etc/"), { name: "etc/conf", content: bytesOf(4096, 5) }],
      [dir("etc/"), { name: "etc/.wh.conf" }],
      [dir("etc/"), { name: "etc/conf", content: bytesOf(4096, 5) }],
    );
    const { filesystem, waste } = mergeWithWaste(stack, { firstOwnLayer: 0 });
    expect(filesystem.entries.get("/etc/conf")).toMatchObject({ layer: 2, size: 4096 });
    expect(waste.ownReclaimableBytes).toBe(4096);
    expect(waste.items).toEqual([{ path: "/etc/conf", bytes: 4096, layer: 0, byLayer: 1, reason: "deleted" }]);
    // The same content at one path is not a duplicate.
    expect(waste.duplicates).toEqual([]);
    expect(listLayerChanges(stack).filter((change) => change.path === "/etc/conf")).toEqual([
      { path: "/etc/conf", layer: 0, change: "added" },
      { path: "/etc/conf", layer: 1, change: "deleted" },
      { path: "/etc/conf", layer: 2, change: "added" },
    ]);
  });

  it("reports duplicate content under two paths apart from reclaimable bytes", async () => {
    const content = bytesOf(8192, 6);
    const stack = await layers(
      [dir("x/"), { name: "x/one.so", content }, { name: "x/small-a", content: "same" }],
      [dir("y/"), { name: "y/two.so", content }, { name: "y/small-b", content: "same" }],
    );
    const { waste } = mergeWithWaste(stack, { firstOwnLayer: 0 });
    expect(waste.ownReclaimableBytes + waste.baseReclaimableBytes).toBe(0);
    // Files under CONTENT_HASH_MIN_BYTES carry no hash and are not compared.
    expect(waste.duplicates).toEqual([
      { sha256: stack[0].entries.find((e) => e.path === "/x/one.so")!.sha256, size: 8192, paths: ["/x/one.so", "/y/two.so"], extraBytes: 8192 },
    ]);
    expect(waste.duplicateBytes).toBe(8192);
  });

  it("keeps a symlink chain with its targets as stored, and a file replacing a directory hides its contents", async () => {
    const stack = await layers(
      [
        dir("usr/"), dir("usr/bin/"),
        { name: "usr/bin/python3.11", content: bytesOf(5000, 7), mode: 0o755 },
        { name: "usr/bin/python3", type: "symlink", linkname: "python3.11" },
        { name: "usr/bin/python", type: "symlink", linkname: "/usr/bin/python3" },
        dir("opt/"), dir("opt/tool/"), { name: "opt/tool/lib.so", content: bytesOf(4500, 8) },
      ],
      [dir("opt/"), { name: "opt/tool", type: "symlink", linkname: "/usr/bin" }],
    );
    const fs = mergeLayers(stack);
    expect(fs.entries.get("/usr/bin/python")).toMatchObject({ kind: "symlink", linkTarget: "/usr/bin/python3", size: 0, mode: 0o120644 });
    expect(fs.entries.get("/usr/bin/python3")).toMatchObject({ kind: "symlink", linkTarget: "python3.11" });
    expect(fs.entries.get("/usr/bin/python3.11")).toMatchObject({ kind: "file", size: 5000, mode: 0o100755 });
    expect(fs.entries.get("/opt/tool")).toMatchObject({ kind: "symlink", layer: 1 });
    expect(fs.entries.has("/opt/tool/lib.so")).toBe(false);
    const { waste } = mergeWithWaste(stack, { firstOwnLayer: 1 });
    expect(waste.baseReclaimableBytes).toBe(4500);
    expect(waste.items).toEqual([{ path: "/opt/tool/lib.so", bytes: 4500, layer: 0, byLayer: 1, reason: "overwritten" }]);
  });

  it("keeps captured files only while the copy that carried them survives", async () => {
    const stack = await layers(
      [dir("var/"), dir("var/lib/"), dir("var/lib/dpkg/"), { name: "var/lib/dpkg/status", content: "Package: a\n" }],
      [dir("var/lib/dpkg/"), { name: "var/lib/dpkg/status", content: "Package: a\n\nPackage: b\n" }],
    );
    const fs = mergeLayers(stack);
    expect(fs.captured.get("/var/lib/dpkg/status")).toEqual({ content: "Package: a\n\nPackage: b\n", layer: 1 });
  });

  it("gives the numbers of the worked example in docs/content-analysis.md", async () => {
    const lib = bytesOf(8192, 9);
    const stack = await layers(
      [dir("usr/"), dir("usr/share/"), dir("usr/share/doc/"), { name: "usr/share/doc/a", content: bytesOf(300) }, dir("etc/"), { name: "etc/conf", content: bytesOf(100) }],
      [
        dir("var/"), dir("var/lib/"), dir("var/lib/apt/"), dir("var/lib/apt/lists/"), { name: "var/lib/apt/lists/x", content: bytesOf(5000) },
        dir("etc/"), { name: "etc/conf", content: bytesOf(120) }, dir("opt/"), { name: "opt/lib.so", content: lib },
      ],
      [dir("var/"), dir("var/lib/"), dir("var/lib/apt/"), { name: "var/lib/apt/.wh.lists" }, dir("usr/"), dir("usr/share/"), { name: "usr/share/.wh.doc" }],
      [dir("app/"), { name: "app/lib.so", content: lib }],
    );
    const { waste } = mergeWithWaste(stack, { firstOwnLayer: 1 });
    expect(waste.ownReclaimableBytes).toBe(5000);
    expect(waste.baseReclaimableBytes).toBe(400);
    expect(waste.duplicateBytes).toBe(8192);
  });
});
