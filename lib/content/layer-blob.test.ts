import { describe, expect, it } from "vitest";
import { decodeLayerBlob, encodeLayerBlob } from "@/lib/content/layer-blob";
import { indexLayerTar } from "@/lib/content/layer-index";
import { bytesOf, packTar } from "@/lib/content/test-tars";

describe("stored layer blob", () => {
  it("round-trips every entry field and the captured files", async () => {
    const content = await indexLayerTar(
      await packTar([
        { name: "usr/", type: "directory" },
        { name: "usr/big", content: bytesOf(5000), mode: 0o755, uid: 7, gid: 8 },
        { name: "usr/link", type: "symlink", linkname: "big" },
        { name: "usr/hard", type: "link", linkname: "usr/big" },
        { name: "usr/.wh.gone" },
        { name: "etc/os-release", content: "ID=debian\n" },
      ]),
    );
    const layer = content;
    layer.entries[1].elf = { bits: 64, machine: 62, type: "DYN", interpreter: null, needed: ["libc.so.6"], rpath: [], runpath: ["$ORIGIN/../lib"], soname: "libx.so.1" };
    const blob = await encodeLayerBlob(layer);
    const decoded = await decodeLayerBlob(blob);
    expect(decoded.entries).toEqual(layer.entries);
    expect(decoded.captured).toEqual({ "/etc/os-release": "ID=debian\n" });
    expect(decoded.stats).toEqual(layer.stats);
    expect(decoded.diffId).toBe(layer.diffId);
    expect(decoded.droppedEntries).toBe(0);
  });
});
