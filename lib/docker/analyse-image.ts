// Reads a built image's size, config and per-layer breakdown (own vs base layers) from the engine.
import "server-only";
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import * as tar from "tar-stream";
import { getDocker } from "@/lib/docker/client";
import { cleanInstruction } from "@/lib/docker/clean-instruction";
import { isEngineNotFound, toEngineAppError } from "@/lib/docker/engine-error";
import { AppError } from "@/lib/errors";
import type { LayerDto } from "@/lib/types";

export type AnalysedLayer = Omit<LayerDto, "image">;

export type ImageAnalysis = {
  imageId: string;
  /** `GET /images/{id}/json` Size: the sum of uncompressed layers on overlay2 (not on the containerd store). */
  totalSize: number;
  /** The engine's image store (`overlay2`, or e.g. `overlayfs` on the containerd image store). */
  storageDriver: string;
  config: {
    cmd: string[] | null;
    entrypoint: string[] | null;
    user: string;
    workingDir: string;
    healthcheck: boolean;
    exposedPorts: string[];
  };
  layers: AnalysedLayer[];
  /**
   * False when the history and the layer list did not settle which entries own a layer and the
   * export was not read (`exportWhenAmbiguous: false`): `isEmpty` is then a guess and no entry has
   * a `layerDigest`; sizes are exact either way. `refineLayerMapping` settles it later.
   */
  mappingExact: boolean;
};

export type AnalyseImageOptions = {
  docker?: Docker;
  baseImage?: string | null;
  /**
   * Read the image export when the mapping is ambiguous (default true). The pipeline passes false:
   * engine 20.10 stages the whole image before the export's first byte (about `docker save`), so
   * the build's result must not wait for it.
   */
  exportWhenAmbiguous?: boolean;
};

type HistoryEntry = { Id: string; Created: number; CreatedBy: string; Comment: string; Size: number; Tags: string[] | null };
type ConfigHistoryEntry = { created_by?: string; comment?: string; empty_layer?: boolean };
type ImageConfigFile = { history?: ConfigHistoryEntry[]; rootfs?: { diff_ids?: string[] } };
// Configs and manifests are small; anything bigger in an export is a layer and is never buffered.
const MAX_JSON_BYTES = 16 * 1024 * 1024;
const MAX_BLOB_BYTES = 1024 * 1024;

/**
 * Reads the image config out of `GET /images/{id}/get`, streaming: the layer tars (the bulk of the
 * archive) are drained, never buffered. The config's `history[].empty_layer` is the only place the
 * engine (API 1.41) says which history entries own a layer.
 *
 * Engine 20.10 stages the whole export in a temporary directory before sending the first byte, so
 * this costs about as much as `docker save` of the image (seconds for a few hundred MB). Entries
 * come sorted by name; the legacy layout names the config `<image id hex>.json`, so reading stops
 * there (checked against the id). Otherwise `manifest.json` (near the end) says which entry is the
 * config — also in the OCI layout newer engines write, where it is a small `blobs/sha256/<hex>`.
 */
export const readImageConfig = async (docker: Docker, imageId: string): Promise<ImageConfigFile> => {
  const idHex = imageId.replace(/^sha256:/, "");
  const source = (await docker.getImage(imageId).get()) as NodeJS.ReadableStream & { destroy?: (e?: Error) => void };
  const extract = tar.extract();
  source.on("error", (error) => extract.destroy(error as Error));
  source.pipe(extract);

  const smallFiles = new Map<string, Buffer>();
  let configByName: Buffer | null = null;
  let buffered = 0;
  try {
    for await (const entry of extract) {
      const name = entry.header.name.replace(/^\.\//, "");
      const size = entry.header.size ?? 0;
      const isWanted =
        entry.header.type === "file" &&
        ((!name.includes("/") && name.endsWith(".json") && size <= MAX_JSON_BYTES) ||
          (/^blobs\/sha256\/[0-9a-f]{64}$/.test(name) && size <= MAX_BLOB_BYTES && buffered + size <= MAX_JSON_BYTES));
      if (!isWanted) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const content = Buffer.concat(chunks);
      buffered += content.length;
      if (name === `${idHex}.json` && createHash("sha256").update(content).digest("hex") === idHex) {
        configByName = content;
        break;
      }
      smallFiles.set(name, content);
    }
  } finally {
    // Stops the engine's export when we leave early (a no-op once the body has ended).
    source.destroy?.();
  }
  if (configByName) return JSON.parse(configByName.toString("utf8")) as ImageConfigFile;

  const manifestText = smallFiles.get("manifest.json");
  if (!manifestText) throw new AppError("INTERNAL", `image ${imageId}: the exported archive has no manifest.json`);
  const manifest = JSON.parse(manifestText.toString("utf8")) as Array<{ Config: string }>;
  const configText = manifest[0] && smallFiles.get(manifest[0].Config);
  if (!configText) throw new AppError("INTERNAL", `image ${imageId}: the exported archive has no config ${manifest[0]?.Config}`);
  return JSON.parse(configText.toString("utf8")) as ImageConfigFile;
};

/**
 * How many of the oldest history entries belong to the base image, when the caller did not name
 * it (or named one that is not on the engine / is not a prefix). In order:
 * 1. the newest ancestor entry (not the image's own top entry) that is a tagged image on this
 *    engine: with either builder the base image's top entry keeps its image id and tags in
 *    `/images/{id}/history`, while the build's own entries are untagged or `<missing>`
 *    (caveat: a classic-builder image that is itself the cached prefix of a later build looks
 *    like a base);
 * 2. the last entry that looks like a root filesystem import: comment `Imported from …`
 *    (`docker import`), `ADD file:<hash> in /` (classic) or `ADD <one source> /` (BuildKit);
 * 3. otherwise only the first entry.
 */
export const guessBaseEntryCount = (
  history: Array<Pick<HistoryEntry, "Id" | "Tags" | "CreatedBy" | "Comment">>,
): number => {
  if (history.length === 0) return 0;
  for (let index = history.length - 2; index >= 0; index -= 1) {
    const entry = history[index];
    if (entry.Id && entry.Id !== "<missing>" && (entry.Tags?.length ?? 0) > 0) return index + 1;
  }
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const entry = history[index];
    const instruction = cleanInstruction(entry.CreatedBy ?? "");
    if (
      /^Imported from\b/i.test(entry.Comment ?? "") ||
      /^ADD file:[0-9a-f]+ in \/$/.test(instruction) ||
      /^ADD \S+ \/$/.test(instruction)
    ) {
      return index + 1;
    }
  }
  return 1;
};

// The named base counts when it is on the engine and both its history (created_by sequence) and
// its layers are a prefix of the image's.
const countNamedBaseEntries = async (
  docker: Docker,
  baseImage: string,
  history: HistoryEntry[],
  layers: string[],
): Promise<number | null> => {
  try {
    const base = docker.getImage(baseImage);
    const [inspect, baseHistory] = await Promise.all([base.inspect(), base.history() as Promise<HistoryEntry[]>]);
    const oldestFirst = [...baseHistory].reverse();
    if (oldestFirst.length > history.length) return null;
    if (!oldestFirst.every((entry, index) => entry.CreatedBy === history[index].CreatedBy)) return null;
    const baseLayers = inspect.RootFS?.Layers ?? [];
    if (baseLayers.length > layers.length || !baseLayers.every((layer, index) => layer === layers[index])) return null;
    return oldestFirst.length;
  } catch (error) {
    if (isEngineNotFound(error)) return null;
    throw toEngineAppError(error, `base image ${baseImage}`);
  }
};

/**
 * Pairs the API history (oldest first) with the config history by index (the engine emits one
 * API entry per config entry) and hands out the diff_ids to the non-empty entries in order. If the
 * two disagree (not seen on 20.10), empty means "zero bytes and not a filesystem instruction" and
 * no digest is attached.
 */
// A zero-size history entry that can own a layer: only these instructions write the filesystem
// (BuildKit's WORKDIR of a new directory is a real layer of zero bytes; metadata never is).
const WRITES_FILESYSTEM = /^(RUN|COPY|ADD|WORKDIR)\b/;

/**
 * The config's `empty_layer` flags worked out from `/images/{id}/history` and the inspect's
 * RootFS.Layers, without the export (which costs seconds: the engine writes the whole image
 * first; bench:build measured 35× `docker history`). Every entry with bytes owns a layer; the
 * k layers left over belong to zero-size entries, and when exactly k zero-size entries write the
 * filesystem (RUN, COPY, ADD, WORKDIR) those are the ones. Otherwise (e.g. an empty RUN that
 * BuildKit dropped beside a WORKDIR that it kept) the answer is null: ambiguous.
 */
export const configFromHistory = (history: HistoryEntry[], rootfsLayers: string[]): ImageConfigFile | null => {
  if (!rootfsLayers.length) return null;
  const withBytes = history.filter((entry) => entry.Size > 0).length;
  const leftOver = rootfsLayers.length - withBytes;
  if (leftOver < 0) return null;
  const candidates = history.filter((entry) => entry.Size === 0 && WRITES_FILESYSTEM.test(cleanInstruction(entry.CreatedBy ?? "", entry.Comment)));
  if (leftOver > 0 && candidates.length !== leftOver) return null;
  return {
    history: history.map((entry) => ({ empty_layer: entry.Size === 0 && (leftOver === 0 || !candidates.includes(entry)) })),
    rootfs: { diff_ids: rootfsLayers },
  };
};

export const mapLayers = (
  history: HistoryEntry[],
  config: ImageConfigFile,
  baseEntryCount: number,
): AnalysedLayer[] => {
  const configHistory = config.history ?? [];
  const diffIds = config.rootfs?.diff_ids ?? [];
  const aligned = configHistory.length === history.length;
  const nonEmptyCount = configHistory.filter((entry) => !entry.empty_layer).length;
  const withDigests = aligned && nonEmptyCount === diffIds.length;
  let nextDiffId = 0;
  return history.map((entry, position) => {
    const instruction = cleanInstruction(entry.CreatedBy ?? "", entry.Comment);
    const isEmpty = aligned
      ? configHistory[position].empty_layer === true
      : entry.Size === 0 && !WRITES_FILESYSTEM.test(instruction);
    const layerDigest = !isEmpty && withDigests ? diffIds[nextDiffId++] : null;
    return {
      position,
      createdBy: entry.CreatedBy ?? "",
      instruction,
      size: entry.Size,
      isEmpty,
      isFromBase: position < baseEntryCount,
      layerDigest,
    };
  });
};

export const analyseImage = async (imageRef: string, options: AnalyseImageOptions = {}): Promise<ImageAnalysis> => {
  const docker = options.docker ?? getDocker();
  let inspect: Docker.ImageInspectInfo;
  try {
    inspect = await docker.getImage(imageRef).inspect();
  } catch (error) {
    throw toEngineAppError(error, `image ${imageRef}`);
  }
  const imageId = inspect.Id;

  let history: HistoryEntry[];
  let configFile: ImageConfigFile;
  let mappingExact = true;
  try {
    history = [...((await docker.getImage(imageId).history()) as HistoryEntry[])].reverse();
    const settled = configFromHistory(history, inspect.RootFS?.Layers ?? []);
    if (settled) configFile = settled;
    else if (options.exportWhenAmbiguous ?? true) configFile = await readImageConfig(docker, imageId);
    else {
      // No config: mapLayers guesses the empty flags from sizes and instructions, attaches no digest.
      configFile = {};
      mappingExact = false;
    }
  } catch (error) {
    throw toEngineAppError(error, `image ${imageRef}`);
  }

  const namedBaseCount = options.baseImage
    ? await countNamedBaseEntries(docker, options.baseImage, history, inspect.RootFS?.Layers ?? [])
    : null;
  const baseEntryCount = namedBaseCount ?? guessBaseEntryCount(history);

  let storageDriver = inspect.GraphDriver?.Name ?? "";
  if (!storageDriver) {
    try {
      storageDriver = ((await docker.info()) as { Driver?: string }).Driver ?? "unknown";
    } catch (error) {
      throw toEngineAppError(error, "engine info");
    }
  }

  const config = inspect.Config ?? ({} as Docker.ImageInspectInfo["Config"]);
  const healthTest = (config as { Healthcheck?: { Test?: string[] } }).Healthcheck?.Test ?? [];
  const entrypoint = config.Entrypoint;
  return {
    imageId,
    totalSize: inspect.Size,
    storageDriver,
    config: {
      cmd: config.Cmd?.length ? [...config.Cmd] : null,
      entrypoint: Array.isArray(entrypoint) ? (entrypoint.length ? [...entrypoint] : null) : entrypoint ? [entrypoint] : null,
      user: config.User ?? "",
      workingDir: config.WorkingDir ?? "",
      healthcheck: healthTest.length > 0 && healthTest[0] !== "NONE",
      exposedPorts: Object.keys(config.ExposedPorts ?? {}).sort(),
    },
    layers: mapLayers(history, configFile, baseEntryCount),
    mappingExact,
  };
};
