// Builds small layer tars and image exports in memory for the content tests and the benchmark
// (tar-stream's pack): the same layouts engine 20.10 (legacy) and newer engines (OCI, gzip) write.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import * as tar from "tar-stream";

export type TarEntrySpec = {
  name: string;
  type?: "file" | "directory" | "symlink" | "link";
  content?: Buffer | string;
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
};

export const packTar = async (entries: TarEntrySpec[]): Promise<Buffer> => {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const spec of entries) {
    const type = spec.type ?? "file";
    const content = type === "file" ? Buffer.from(spec.content ?? "") : undefined;
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: spec.name,
        type,
        mode: spec.mode ?? (type === "directory" ? 0o755 : 0o644),
        uid: spec.uid ?? 0,
        gid: spec.gid ?? 0,
        linkname: spec.linkname,
        size: content?.length ?? 0,
      };
      const callback = (error?: Error | null) => (error ? reject(error) : resolve());
      if (content) pack.entry(header, content, callback);
      else pack.entry(header, callback);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
};

/** `size` bytes of deterministic content (different seeds give different content). */
export const bytesOf = (size: number, seed = 0): Buffer => {
  const buffer = Buffer.alloc(size);
  for (let index = 0; index < size; index += 1) buffer[index] = (index * 31 + seed * 7 + (index >> 8)) & 0xff;
  return buffer;
};

export const sha256Hex = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** A `docker save` archive in the legacy layout (engine 20.10): `<v1 id>/layer.tar`, config, manifest.json last. */
export const packLegacyExport = async (layerTars: Buffer[]): Promise<{ archive: Buffer; diffIds: string[]; entryNames: string[] }> => {
  const diffIds = layerTars.map((layer) => `sha256:${sha256Hex(layer)}`);
  const config = json({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: diffIds } });
  const configName = `${sha256Hex(config)}.json`;
  let parent = "";
  const v1Ids = diffIds.map((diffId) => (parent = sha256Hex(Buffer.from(parent + diffId))));
  const entryNames = v1Ids.map((id) => `${id}/layer.tar`);
  const entries: TarEntrySpec[] = [{ name: configName, content: config }];
  v1Ids.forEach((id, index) => {
    entries.push({ name: `${id}/`, type: "directory" }, { name: `${id}/VERSION`, content: "1.0" });
    entries.push({ name: `${id}/json`, content: json({ id, parent: index ? v1Ids[index - 1] : undefined }) });
    entries.push({ name: `${id}/layer.tar`, content: layerTars[index] });
  });
  // Sorted by name, as the engine writes them; manifest.json sorts after the hex names.
  entries.sort((a, b) => a.name.localeCompare(b.name));
  entries.push({ name: "manifest.json", content: json([{ Config: configName, RepoTags: null, Layers: entryNames }]) });
  return { archive: await packTar(entries), diffIds, entryNames };
};

/** An OCI-layout archive (newer engines) with gzip-compressed layer blobs. */
export const packOciExport = async (layerTars: Buffer[]): Promise<{ archive: Buffer; diffIds: string[]; entryNames: string[] }> => {
  const diffIds = layerTars.map((layer) => `sha256:${sha256Hex(layer)}`);
  const blobs = new Map<string, Buffer>();
  const compressed = layerTars.map((layer) => gzipSync(layer));
  const entryNames = compressed.map((blob) => {
    const hex = sha256Hex(blob);
    blobs.set(hex, blob);
    return `blobs/sha256/${hex}`;
  });
  const config = json({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: diffIds } });
  blobs.set(sha256Hex(config), config);
  const manifest = json({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${sha256Hex(config)}`, size: config.length },
    layers: compressed.map((blob) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${sha256Hex(blob)}`, size: blob.length })),
  });
  blobs.set(sha256Hex(manifest), manifest);
  const index = json({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${sha256Hex(manifest)}`, size: manifest.length }] });
  const entries: TarEntrySpec[] = [{ name: "blobs/", type: "directory" }, { name: "blobs/sha256/", type: "directory" }];
  for (const hex of [...blobs.keys()].sort()) entries.push({ name: `blobs/sha256/${hex}`, content: blobs.get(hex)! });
  entries.push({ name: "index.json", content: index }, { name: "oci-layout", content: json({ imageLayoutVersion: "1.0.0" }) });
  return { archive: await packTar(entries), diffIds, entryNames };
};

/** Splits a buffer into chunks like a socket would. */
export async function* chunked(data: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}
