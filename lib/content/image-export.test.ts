import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ExportNameMismatchError, ImageExportError, readImageExport, type ExportedLayer } from "@/lib/content/image-export";
import { bytesOf, chunked, packLegacyExport, packOciExport, packTar } from "@/lib/content/test-tars";

const sampleLayers = async () => [
  await packTar([{ name: "etc/", type: "directory" }, { name: "etc/os-release", content: "ID=debian\n" }, { name: "bin.bin", content: bytesOf(9000) }]),
  await packTar([{ name: "app/", type: "directory" }, { name: "app/main.py", content: "print(1)\n" }]),
  await packTar([{ name: ".wh.bin.bin" }]),
];

const collect = async (archive: Buffer, knownDiffId: (name: string) => string | null = () => null) => {
  const layers: ExportedLayer[] = [];
  const summary = await readImageExport(chunked(archive, 7000), { knownDiffId, onLayer: (layer) => void layers.push(layer) });
  return { layers, summary };
};

describe("image export reader", () => {
  it("reads the legacy layout: every layer parsed and mapped to its diff_id in manifest order", async () => {
    const tars = await sampleLayers();
    const { archive, diffIds, entryNames } = await packLegacyExport(tars);
    const { layers, summary } = await collect(archive);
    expect(summary.diffIds).toEqual(diffIds);
    expect(summary.layerEntries).toEqual(entryNames);
    expect(summary.bytesRead).toBe(archive.length);
    expect(layers).toHaveLength(3);
    for (const layer of layers) {
      const position = entryNames.indexOf(layer.entryName);
      expect(layer.diffId).toBe(diffIds[position]);
      expect(layer.tarBytes).toBe(tars[position].length);
      expect(layer.compressed).toBe(false);
      expect(layer.content?.stats.tarBytes).toBe(tars[position].length);
    }
    const first = layers.find((layer) => layer.entryName === entryNames[0])!;
    expect(first.content?.entries.map((entry) => entry.path)).toEqual(["/etc", "/etc/os-release", "/bin.bin"]);
    expect(first.content?.captured["/etc/os-release"]).toBe("ID=debian\n");
  });

  it("reads the OCI layout with gzip-compressed layers", async () => {
    const tars = await sampleLayers();
    const { archive, diffIds, entryNames } = await packOciExport(tars);
    const { layers, summary } = await collect(archive);
    expect(summary.diffIds).toEqual(diffIds);
    expect(summary.layerEntries).toEqual(entryNames);
    expect(layers.every((layer) => layer.compressed)).toBe(true);
    const top = layers.find((layer) => layer.entryName === entryNames[2])!;
    expect(top.diffId).toBe(diffIds[2]);
    expect(top.content?.entries).toEqual([{ path: "/bin.bin", kind: "whiteout", size: 0, mode: 0, uid: 0, gid: 0 }]);
  });

  it("only drains a layer whose entry name is known, and verifies it by its hash", async () => {
    const tars = await sampleLayers();
    const { archive, diffIds, entryNames } = await packLegacyExport(tars);
    const known = new Map([[entryNames[0], diffIds[0]], [entryNames[1], diffIds[1]]]);
    const { layers } = await collect(archive, (name) => known.get(name) ?? null);
    const byName = new Map(layers.map((layer) => [layer.entryName, layer]));
    expect(byName.get(entryNames[0])!.content).toBeNull();
    expect(byName.get(entryNames[0])!.diffId).toBe(diffIds[0]);
    expect(byName.get(entryNames[1])!.content).toBeNull();
    expect(byName.get(entryNames[2])!.content).not.toBeNull();

    const wrong = new Map([[entryNames[0], diffIds[1]]]);
    await expect(collect(archive, (name) => wrong.get(name) ?? null)).rejects.toBeInstanceOf(ExportNameMismatchError);
  });

  it("with parse off (the compressed-size pass) indexes nothing, gzips what it is asked to and trusts no name", async () => {
    const tars = await sampleLayers();
    const { archive, diffIds, entryNames } = await packLegacyExport(tars);
    // A wrong name for the first layer is no error here: the layer is reported under its real hash.
    const believed = new Map([[entryNames[0], diffIds[1]], [entryNames[2], diffIds[2]]]);
    const layers: ExportedLayer[] = [];
    await readImageExport(chunked(archive, 7000), {
      parse: false,
      knownDiffId: (name) => believed.get(name) ?? null,
      measureGzip: (_name, known) => known !== diffIds[2],
      onLayer: (layer) => void layers.push(layer),
    });
    const byName = new Map(layers.map((layer) => [layer.entryName, layer]));
    expect(layers.every((layer) => layer.content === null)).toBe(true);
    expect(byName.get(entryNames[0])!.diffId).toBe(diffIds[0]);
    expect(byName.get(entryNames[0])!.gzipBytes).toBe(gzipSync(tars[0]).length);
    expect(byName.get(entryNames[1])!.gzipBytes).toBe(gzipSync(tars[1]).length);
    expect(byName.get(entryNames[2])!.gzipBytes).toBeNull();
  });

  it("fails clearly on a truncated export and hands out no layer it could not finish", async () => {
    const tars = await sampleLayers();
    const { archive } = await packLegacyExport(tars);
    const layers: ExportedLayer[] = [];
    const reading = readImageExport(chunked(archive.subarray(0, Math.floor(archive.length / 2)), 4096), {
      knownDiffId: () => null,
      onLayer: (layer) => void layers.push(layer),
    });
    await expect(reading).rejects.toBeInstanceOf(ImageExportError);
    await expect(reading).rejects.toThrow(/truncated or corrupt|has no/);
    for (const layer of layers) expect(layer.tarBytes).toBe(tars.find((tar) => tar.length === layer.tarBytes)!.length);
  });

  it("fails when a layer is not the one the config names", async () => {
    const tars = await sampleLayers();
    const { archive } = await packLegacyExport(tars);
    // Flip one byte inside the first layer's file content (the layer still parses, its hash changes).
    const corrupt = Buffer.from(archive);
    const offset = corrupt.indexOf(Buffer.from("ID=debian"));
    corrupt[offset] = "J".charCodeAt(0);
    await expect(collect(corrupt)).rejects.toThrow(/hashes to sha256:[0-9a-f]{64}, the config says/);
  });
});

describe("image export reader, gzip layers cut short", () => {
  it("fails (does not hang) when the export ends inside a gzip-compressed layer", async () => {
    const tars = [await packTar([{ name: "big.bin", content: randomBytes(200_000) }])];
    const { archive, entryNames } = await packOciExport(tars);
    // Cut halfway through the layer blob (incompressible, so about 200 kB in the archive).
    const blobStart = archive.indexOf(Buffer.from(entryNames[0]));
    await expect(collect(archive.subarray(0, blobStart + 100_000))).rejects.toBeInstanceOf(ImageExportError);
  });
});
