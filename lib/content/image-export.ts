// Reads an image export (`GET /images/{id}/get`, `docker save`) as a stream and hands each layer
// to the indexer, or only drains it when the caller already has its index. Both layouts: the
// legacy one (`<v1 id>/layer.tar`, `manifest.json` near the end) that engine 20.10 writes, and
// the OCI one (`blobs/sha256/<hex>`, `index.json`) of newer engines; layers gzip-compressed or not
// (sniffed). Every layer's diff_id (SHA-256 of the uncompressed layer tar) is computed while it
// streams. Pure: nothing is written to disk, no layer is buffered.
import { PassThrough, Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { createGzipCounter } from "@/lib/content/gzip-counter";
import * as tar from "tar-stream";
import { createLayerIndexer, type LayerContent, type LayerIndexOptions } from "@/lib/content/layer-index";
import { chainIds, findLegacyLayerPosition } from "@/lib/content/legacy-v1-id";
import { openStreamHash } from "@/lib/content/stream-hash";

/** The export or one of its layers is cut short, malformed or not what the manifest says. */
export class ImageExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImageExportError";
  }
}

/** A layer skipped on the strength of its entry name turned out to be another layer: read again without trusting names. */
export class ExportNameMismatchError extends ImageExportError {
  constructor(readonly entryName: string, readonly expected: string, readonly actual: string) {
    super(`export entry ${entryName} was expected to hold layer ${expected} but holds ${actual}`);
    this.name = "ExportNameMismatchError";
  }
}

export type ExportedLayer = {
  /** The export entry that carried it: `<v1 id>/layer.tar` or `blobs/sha256/<hex>`. */
  entryName: string;
  diffId: string;
  /** Uncompressed bytes of the layer tar. */
  tarBytes: number;
  compressed: boolean;
  /** The index, when the layer was parsed; null when it was only drained. */
  content: LayerContent | null;
  /** gzip size of the layer tar at zlib's default level (what `docker push` sends, estimated); null when not measured. */
  gzipBytes: number | null;
};

export type ReadImageExportOptions = {
  /**
   * The diff_id the caller has indexed already and believes this entry carries (drain it, verify
   * the hash), or null (parse it). `predicted`: the diff_id the legacy `<v1 id>/json` names, when
   * `diffIds` were given (legacy-v1-id.ts).
   */
  knownDiffId: (entryName: string, predicted: string | null) => string | null;
  /** The image's diff_ids (GET /images/{id}/json RootFS.Layers), known before the export starts. */
  diffIds?: string[];
  /** Called once per layer entry after its stream was read to the end; awaited (backpressure on the export). */
  onLayer: (layer: ExportedLayer) => Promise<void> | void;
  /** Bytes of the export read so far. */
  onBytes?: (bytesRead: number) => void;
  indexOptions?: LayerIndexOptions;
  /** Whether to gzip the layer tar as it passes and count the bytes (issue 17); `known` as knownDiffId answered. */
  measureGzip?: (entryName: string, known: string | null) => boolean;
  /**
   * false: index no layer (only hash, and gzip where asked): the compressed-size pass after the
   * analysis. A wrong `knownDiffId` is then no error; each layer is reported under its real hash.
   */
  parse?: boolean;
};

export type ImageExportSummary = {
  /** The image config's rootfs.diff_ids (lowest first). */
  diffIds: string[];
  /** The manifest's layer entry names, lowest first (parallel to diffIds). */
  layerEntries: string[];
  layers: Map<string, Omit<ExportedLayer, "content">>;
  bytesRead: number;
};

const MAX_JSON_BYTES = 16 * 1024 * 1024;
/**
 * Bytes of the export read from the engine ahead of the parse. Without it the socket is read only
 * when the parse asks for the next chunk: the engine stalls on a full socket while a chunk is
 * parsed and the parse waits while the engine refills it, the two never overlap (profiled: the
 * main thread idle ~45 % of the transfer while the engine was blocked). Bounded: peak RSS.
 */
export const READ_AHEAD_BYTES = 32 * 1024 * 1024;
// The read-ahead's bound in chunks: a socket hands out at most 64 KiB a read.
const SOCKET_CHUNK_BYTES = 64 * 1024;
const READ_AHEAD_WRITABLE_BYTES = 1024 * 1024;
const SNIFF_BYTES = 512;
const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

const startsWith = (head: Buffer, magic: number[]) => magic.every((byte, index) => head[index] === byte);
const isTarHeader = (head: Buffer) =>
  head.length >= 262 ? head.subarray(257, 262).toString("latin1") === "ustar" : false;
const isZeroBlock = (head: Buffer) => head.length >= SNIFF_BYTES && head.subarray(0, SNIFF_BYTES).every((byte) => byte === 0);

type Chunks = AsyncIterator<Buffer>;

// Reads the first bytes of an entry, keeping the iterator for the rest.
const sniff = async (iterator: Chunks): Promise<{ head: Buffer; done: boolean }> => {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) return { head: Buffer.concat(parts), done: true };
    parts.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(parts), done: false };
};

async function* rest(head: Buffer, done: boolean, iterator: Chunks): AsyncGenerator<Buffer> {
  if (head.length) yield head;
  if (done) return;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

// A writable's write with backpressure that also ends the wait when the writable fails.
const write = (target: tar.Extract, chunk: Buffer): Promise<void> | void => {
  if (target.write(chunk)) return;
  return new Promise((resolve) => {
    const done = () => {
      target.off("drain", done);
      target.off("close", done);
      resolve();
    };
    target.on("drain", done);
    target.on("close", done);
  });
};

// pipe() does not pass a source's error on: a layer cut short would leave gunzip waiting forever.
const gunzipped = (chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> => {
  const gunzip = createGunzip();
  const source = Readable.from(chunks);
  source.on("error", (error) => gunzip.destroy(error));
  return source.pipe(gunzip);
};

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

const readLayer = async (
  entryName: string,
  chunks: AsyncIterable<Buffer>,
  compressed: boolean,
  options: ReadImageExportOptions,
  predicted: string | null,
): Promise<ExportedLayer> => {
  const source: AsyncIterable<Buffer> = compressed ? gunzipped(chunks) : chunks;
  const layerHash = openStreamHash();
  let tarBytes = 0;
  const known = options.knownDiffId(entryName, predicted);
  const parse = options.parse ?? true;
  const indexer = known || !parse ? null : createLayerIndexer(layerHash, options.indexOptions);
  let content: LayerContent | null = null;
  const gzip = options.measureGzip?.(entryName, known) ? createGzipCounter() : null;
  let digest: string;
  try {
    for await (const chunk of source) {
      tarBytes += chunk.length;
      indexer?.write(chunk);
      layerHash.write(chunk);
      if (gzip) await gzip.write(chunk);
      if (layerHash.backlogged) await layerHash.drained();
    }
    digest = await layerHash.end();
    content = indexer?.end() ?? null;
  } catch (error) {
    layerHash.abort();
    gzip?.destroy();
    if (error instanceof ImageExportError) throw error;
    throw new ImageExportError(`layer ${entryName} is truncated or corrupt: ${describe(error)}`);
  }
  const diffId = `sha256:${digest}`;
  if (parse && known && known !== diffId) throw new ExportNameMismatchError(entryName, known, diffId);
  if (content) content.stats.tarBytes = tarBytes;
  const gzipBytes = gzip ? await gzip.end() : null;
  return { entryName, diffId, tarBytes, compressed, content, gzipBytes };
};

const parseJson = (name: string, text: Buffer | undefined): unknown => {
  if (!text) throw new ImageExportError(`the export has no ${name}`);
  try {
    return JSON.parse(text.toString("utf8"));
  } catch (error) {
    throw new ImageExportError(`${name} in the export is not JSON: ${describe(error)}`);
  }
};

type ManifestEntry = { Config?: string; Layers?: string[] };
type OciIndex = { manifests?: Array<{ digest?: string }> };
type OciManifest = { config?: { digest?: string }; layers?: Array<{ digest?: string }> };
type ImageConfig = { rootfs?: { diff_ids?: string[] } };

const blobName = (digest: string | undefined) => `blobs/sha256/${(digest ?? "").replace(/^sha256:/, "")}`;

// manifest.json (legacy, and written next to index.json by newer engines), else index.json → manifest.
const readManifest = (json: Map<string, Buffer>): { config: string; layers: string[] } => {
  if (json.has("manifest.json")) {
    const manifest = parseJson("manifest.json", json.get("manifest.json")) as ManifestEntry[];
    const first = Array.isArray(manifest) ? manifest[0] : undefined;
    if (!first?.Config || !Array.isArray(first.Layers)) throw new ImageExportError("manifest.json names no config or layers");
    return { config: first.Config, layers: first.Layers.map((name) => name.replace(/^\.\//, "")) };
  }
  const index = parseJson("index.json", json.get("index.json")) as OciIndex;
  const manifestName = blobName(index.manifests?.[0]?.digest);
  const manifest = parseJson(manifestName, json.get(manifestName)) as OciManifest;
  return { config: blobName(manifest.config?.digest), layers: (manifest.layers ?? []).map((layer) => blobName(layer.digest)) };
};

/**
 * Reads the whole export. Layers are handed to `onLayer` in the order the export stores them (by
 * entry name, not by position); the summary says the order. Throws ImageExportError when the
 * export is truncated or corrupt, or a layer is not what the manifest and config say.
 */
export const readImageExport = async (source: AsyncIterable<Buffer>, options: ReadImageExportOptions): Promise<ImageExportSummary> => {
  const outer = tar.extract();
  let bytesRead = 0;
  let feedError: unknown = null;
  // Read eagerly (flowing mode) into a bounded buffer, so the engine keeps writing while a chunk is parsed.
  // Object mode on the way out: a byte-mode buffer hands out everything queued as one
  // concatenated copy per read (profiled: fromList/_copyActual and the GC of those copies on the
  // main thread); the socket's chunks (≤ 64 KiB) go on as they came.
  const ahead = new PassThrough({
    writableHighWaterMark: READ_AHEAD_WRITABLE_BYTES,
    readableObjectMode: true,
    readableHighWaterMark: Math.ceil((READ_AHEAD_BYTES - READ_AHEAD_WRITABLE_BYTES) / SOCKET_CHUNK_BYTES),
  });
  pipeline(source, ahead, () => undefined);
  const feeding = (async () => {
    try {
      for await (const chunk of ahead as AsyncIterable<Buffer>) {
        bytesRead += chunk.length;
        options.onBytes?.(bytesRead);
        if (outer.destroyed) return;
        await write(outer, chunk);
      }
      (outer as unknown as { end: () => void }).end();
    } catch (error) {
      feedError = error;
      outer.destroy(error as Error);
    }
  })();

  const json = new Map<string, Buffer>();
  const layers = new Map<string, Omit<ExportedLayer, "content">>();
  const chains = options.diffIds ? chainIds(options.diffIds) : null;
  const predictedByDir = new Map<string, string>();
  try {
    for await (const entry of outer) {
      const name = entry.header.name.replace(/^\.\//, "");
      const iterator = (entry as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      const isFile = entry.header.type === "file";
      const isLegacyLayer = isFile && name.endsWith("/layer.tar");
      const isBlob = isFile && /^blobs\/sha256\/[0-9a-f]{64}$/.test(name);
      const isTopJson = isFile && !name.includes("/") && name.endsWith(".json");
      const isV1Json = isFile && chains !== null && /^[0-9a-f]{64}\/json$/.test(name) && (entry.header.size ?? 0) <= MAX_JSON_BYTES;
      if (isV1Json) {
        const parts: Buffer[] = [];
        for await (const chunk of { [Symbol.asyncIterator]: () => iterator }) parts.push(chunk);
        const position = findLegacyLayerPosition(Buffer.concat(parts).toString("utf8"), chains);
        if (position !== -1) predictedByDir.set(name.slice(0, 64), options.diffIds![position]);
        continue;
      }
      if (!isLegacyLayer && !isBlob && !isTopJson) {
        for await (const _chunk of { [Symbol.asyncIterator]: () => iterator }) void _chunk;
        continue;
      }
      const { head, done } = await sniff(iterator);
      const gzip = startsWith(head, GZIP_MAGIC);
      if (startsWith(head, ZSTD_MAGIC)) throw new ImageExportError(`layer ${name} is zstd-compressed, which is not supported`);
      const isLayer = isLegacyLayer || (isBlob && (gzip || isTarHeader(head) || isZeroBlock(head)));
      if (isLayer) {
        const predicted = isLegacyLayer ? (predictedByDir.get(name.slice(0, -"/layer.tar".length)) ?? null) : null;
        const layer = await readLayer(name, rest(head, done, iterator), gzip, options, predicted);
        layers.set(name, { entryName: layer.entryName, diffId: layer.diffId, tarBytes: layer.tarBytes, compressed: layer.compressed, gzipBytes: layer.gzipBytes });
        await options.onLayer(layer);
        continue;
      }
      if ((entry.header.size ?? 0) > MAX_JSON_BYTES) {
        for await (const _chunk of rest(head, done, iterator)) void _chunk;
        continue;
      }
      const parts: Buffer[] = [];
      for await (const chunk of rest(head, done, iterator)) parts.push(chunk);
      json.set(name, Buffer.concat(parts));
    }
  } catch (error) {
    outer.destroy();
    if (error instanceof ImageExportError) throw error;
    throw new ImageExportError(`the image export is truncated or corrupt: ${describe(feedError ?? error)}`);
  } finally {
    await feeding;
  }
  if (feedError) throw new ImageExportError(`the image export stream failed: ${describe(feedError)}`);

  const manifest = readManifest(json);
  const config = parseJson(manifest.config, json.get(manifest.config)) as ImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length)
    throw new ImageExportError(`the manifest lists ${manifest.layers.length} layers, the config ${diffIds.length}`);
  manifest.layers.forEach((name, index) => {
    const layer = layers.get(name);
    if (!layer) throw new ImageExportError(`the export has no ${name}`);
    if (layer.diffId !== diffIds[index]) throw new ImageExportError(`layer ${name} hashes to ${layer.diffId}, the config says ${diffIds[index]}`);
  });
  return { diffIds, layerEntries: manifest.layers, layers, bytesRead };
};
