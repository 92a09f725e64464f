import { describe, expect, it } from "vitest";
import { indexLayerTar, type LayerContent } from "@/lib/content/layer-index";
import { changeOf, listDeleted, mergeWithChanges } from "@/lib/content/changes";
import { bytesOf, packTar, type TarEntrySpec } from "@/lib/content/test-tars";
import { indexDirectories, listEntries, sortEntries } from "@/lib/content/tree";

const layer = async (entries: TarEntrySpec[]): Promise<LayerContent> => indexLayerTar(await packTar(entries));
const layers = (...specs: TarEntrySpec[][]) => Promise.all(specs.map(layer));
const dir = (name: string, mode = 0o755): TarEntrySpec => ({ name, type: "directory", mode });

const changesOf = async (...specs: TarEntrySpec[][]) => {
  const { filesystem, changes } = mergeWithChanges(await layers(...specs));
  const of = (path: string) => changeOf(changes, path, filesystem.entries.get(path)!);
  return { filesystem, changes, of };
};

describe("added / modified / deleted per path", () => {
  it("marks an overwrite modified by the overwriting layer and new paths added", async () => {
    const { of, changes } = await changesOf(
      [dir("etc/"), { name: "etc/conf", content: "v1" }, { name: "etc/keep", content: "k" }],
      [dir("etc/"), { name: "etc/conf", content: "v2-longer" }, { name: "etc/new", content: "n" }],
    );
    expect(of("/etc/conf")).toEqual({ change: "modified", layer: 1 });
    expect(of("/etc/new")).toEqual({ change: "added", layer: 1 });
    expect(of("/etc/keep")).toEqual({ change: "added", layer: 0 });
    // /etc re-listed by layer 1 with the same metadata: still added by layer 0.
    expect(of("/etc")).toEqual({ change: "added", layer: 0 });
    expect(changes.deleted).toEqual([]);
    expect(changes.deletedTotal).toBe(0);
  });

  it("lists a whiteout-deleted file with its bytes, the layer that held it and the layer that deleted it", async () => {
    const { filesystem, changes } = await changesOf(
      [dir("tmp/"), { name: "tmp/keep", content: "k" }],
      [dir("tmp/"), { name: "tmp/big.tgz", content: bytesOf(10_000) }],
      [dir("tmp/"), { name: "tmp/.wh.big.tgz" }],
    );
    expect(filesystem.entries.has("/tmp/big.tgz")).toBe(false);
    expect(changes.deleted).toEqual([{ path: "/tmp/big.tgz", kind: "file", bytes: 10_000, entries: 0, layer: 1, byLayer: 2 }]);
  });

  it("lists an opaque directory's hidden entries as deleted, and keeps the re-created ones", async () => {
    const { of, changes } = await changesOf(
      [dir("cache/"), dir("cache/sub/"), { name: "cache/sub/a", content: bytesOf(300) }, { name: "cache/b", content: bytesOf(200) }, { name: "cache/kept", content: "old" }],
      [dir("cache/"), { name: "cache/.wh..wh..opq" }, { name: "cache/kept", content: "new!" }],
    );
    expect(changes.deleted).toEqual([
      { path: "/cache/b", kind: "file", bytes: 200, entries: 0, layer: 0, byLayer: 1 },
      { path: "/cache/sub", kind: "dir", bytes: 300, entries: 1, layer: 0, byLayer: 1 },
      { path: "/cache/sub/a", kind: "file", bytes: 300, entries: 0, layer: 0, byLayer: 1 },
    ]);
    // Hidden by this layer's opaque marker and put back by the same layer: modified.
    expect(of("/cache/kept")).toEqual({ change: "modified", layer: 1 });
    expect(of("/cache")).toEqual({ change: "added", layer: 0 });
  });

  it("sums a whiteout-deleted directory's contents on the directory's row", async () => {
    const { changes } = await changesOf(
      [dir("opt/"), dir("opt/sdk/"), dir("opt/sdk/lib/"), { name: "opt/sdk/lib/x.so", content: bytesOf(4000) }, { name: "opt/sdk/README", content: bytesOf(50) }, { name: "opt/sdk/ln", type: "link", linkname: "opt/sdk/README" }],
      [dir("opt/"), { name: "opt/.wh.sdk" }],
    );
    expect(changes.deleted.map((d) => [d.path, d.kind, d.bytes, d.entries, d.byLayer])).toEqual([
      ["/opt/sdk", "dir", 4050, 4, 1],
      ["/opt/sdk/README", "file", 50, 0, 1],
      ["/opt/sdk/lib", "dir", 4000, 1, 1],
      ["/opt/sdk/lib/x.so", "file", 4000, 0, 1],
      ["/opt/sdk/ln", "hardlink", 0, 0, 1],
    ]);
    expect(listDeleted(changes, { path: "/opt", depth: 1, limit: 10 }).rows.map((r) => r.path)).toEqual(["/opt/sdk"]);
    const first = listDeleted(changes, { path: "/", limit: 2 });
    expect([first.rows.map((r) => r.path), first.total, first.nextCursor]).toEqual([["/opt/sdk", "/opt/sdk/README"], 5, "/opt/sdk/README"]);
    const second = listDeleted(changes, { path: "/", limit: 2, cursor: first.nextCursor });
    expect(second.rows.map((r) => r.path)).toEqual(["/opt/sdk/lib", "/opt/sdk/lib/x.so"]);
    expect(listDeleted(changes, { path: "/", query: "X.SO", limit: 10 }).rows.map((r) => r.path)).toEqual(["/opt/sdk/lib/x.so"]);
  });

  it("a file deleted and re-added by a later layer is added there; deleted and re-added by one layer is modified", async () => {
    const { of, changes } = await changesOf(
      [dir("app/"), { name: "app/a", content: "a0" }, { name: "app/b", content: "b0" }],
      [dir("app/"), { name: "app/.wh.a" }, { name: "app/.wh.b" }, { name: "app/b", content: "b1" }],
      [dir("app/"), { name: "app/a", content: "a2" }],
    );
    expect(of("/app/a")).toEqual({ change: "added", layer: 2 });
    expect(of("/app/b")).toEqual({ change: "modified", layer: 1 });
    // Both present in the end: nothing is listed as deleted.
    expect(changes.deleted).toEqual([]);
  });

  it("counts a directory chmod as modified, a plain re-listing not", async () => {
    const { of } = await changesOf(
      [dir("data/"), dir("srv/"), { name: "srv/x", content: "x" }],
      [dir("data/", 0o777), dir("srv/"), { name: "srv/y", content: "y" }],
      [dir("data/", 0o777), { name: "data/z", content: "z" }],
    );
    expect(of("/data")).toEqual({ change: "modified", layer: 1 });
    expect(of("/srv")).toEqual({ change: "added", layer: 0 });
    expect(of("/data/z")).toEqual({ change: "added", layer: 2 });
  });

  it("lists what goes with a directory a file replaced, and caps the deleted list", async () => {
    const stack = await layers(
      [dir("x/"), { name: "x/one", content: bytesOf(10) }, { name: "x/two", content: bytesOf(20) }, { name: "x/three", content: bytesOf(30) }],
      [{ name: "x", content: "now a file" }],
    );
    const { filesystem, changes } = mergeWithChanges(stack, { maxDeleted: 2 });
    expect(changeOf(changes, "/x", filesystem.entries.get("/x")!)).toEqual({ change: "modified", layer: 1 });
    expect(changes.deleted.map((d) => [d.path, d.bytes, d.byLayer])).toEqual([
      ["/x/one", 10, 1],
      ["/x/three", 30, 1],
    ]);
    expect([changes.deletedTotal, changes.deletedOmitted]).toEqual([3, 1]);
  });

  it("feeds the file browser's rows: change and layer exact for files and directories", async () => {
    const { filesystem, changes } = await changesOf(
      [dir("srv/"), { name: "srv/a", content: "a" }, { name: "srv/b", content: "b" }],
      [dir("srv/", 0o700), { name: "srv/b", content: "b2" }],
      [dir("srv/", 0o700), { name: "srv/c", content: "c" }],
    );
    const layerList = [0, 1, 2].map((index) => ({ index, isFromBase: index === 0 }));
    const page = listEntries(filesystem, indexDirectories(filesystem, layerList), sortEntries(filesystem), "/", 64, { layers: layerList, ownerOf: () => undefined, changes, limit: 10 });
    expect(page.rows.map((r) => [r.path, r.change, r.layer, r.isFromBase])).toEqual([
      // Re-listed by layer 2 with the same mode: the chmod of layer 1 is what counts.
      ["/srv", "modified", 1, false],
      ["/srv/a", "added", 0, true],
      ["/srv/b", "modified", 1, false],
      ["/srv/c", "added", 2, false],
    ]);
  });
});
