// The content-analysis job (issue 11): after a build succeeded, stream each of its images out of
// the engine, index the layers not indexed before (the others are only drained), merge, find
// packages, run evidence and waste, and store it all — or fail with a clear message and leave
// nothing half-written. Runs on its own queue so the build's result never waits for it.
import "server-only";
import type Docker from "dockerode";
import { getEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import {
  claimContentAnalysis,
  createContentAnalyses,
  deleteUnreferencedContentLayers,
  failContentAnalysis,
  findBaseLayerFlags,
  findContentImages,
  findSiblingContentAnalyses,
  finishContentAnalysis,
  getFinalFilesystem,
  readContentLayers,
  recordContentProgress,
  saveContentExportName,
  saveContentLayer,
  startContentAnalysisLayers,
  type ClaimedContentAnalysis,
  type ContentErrorCode,
  type ContentLayerPlan,
  type StoredContentResult,
} from "@/lib/data/content";
import { enqueueContentJob } from "@/lib/builds/queue";
import { exportImage, inspectImageForContent, IMAGE_GONE_MESSAGE, type ImageForContent } from "@/lib/docker/export-image";
import { ExportNameMismatchError, ImageExportError, readImageExport, type ExportedLayer } from "@/lib/content/image-export";
import type { StoredLayer } from "@/lib/content/layer-blob";
import { baseNameOf } from "@/lib/content/layer-index";
import { mergeWithWaste } from "@/lib/content/waste";
import { findPackages } from "@/lib/content/packages";
import { adviseOnContent } from "@/lib/content/content-advice";
import { findAdviceLayers } from "@/lib/data/layers";
import type { LayerImage } from "@/lib/layer-images";
import { findRunEvidence } from "@/lib/content/run-evidence";
import type { FinalFilesystem, LayerIndex } from "@/lib/content/types";
import { estimateCompressedSizes } from "@/lib/builds/compressed-estimate";

const PROGRESS_EVERY_MS = 1000;
const MAX_UNOWNED_GROUPS = 2000;

export type ContentAnalysisOptions = {
  docker: Docker;
  signal?: AbortSignal;
  /** Opens the image export (default: the engine's `GET /images/{id}/get`); tests cut it short here. */
  openExport?: (docker: Docker, imageId: string) => Promise<AsyncIterable<Buffer>>;
};

/** Queues the analysis of a succeeded build's images; never throws (the build is already finished). */
export const queueContentAnalysis = async (buildId: string): Promise<boolean> => {
  try {
    if (getEnv().LAYERBOARD_CONTENT_ANALYSIS === "off") return false;
    const images = await findContentImages(buildId);
    if (!images.length) return false;
    await createContentAnalyses(buildId, images);
    await enqueueContentJob(buildId);
    return true;
  } catch (error) {
    console.error(`[content] could not queue the analysis of build ${buildId}:`, (error as Error).message);
    return false;
  }
};

/**
 * The queue job: the build image first (its packages can explain what the main image lacks), then
 * the main image; then, with both results stored, the compressed-size estimate of each (issue 17),
 * which gzips every new layer and so must not hold up the contents.
 */
export const runContentAnalysisJob = async (buildId: string, options: ContentAnalysisOptions): Promise<void> => {
  const analysed: ClaimedContentAnalysis[] = [];
  for (const image of ["build", "main"]) {
    if (options.signal?.aborted) return;
    const claimed = await claimContentAnalysis(buildId, image);
    if (claimed && (await analyseImageContent(claimed, options))) analysed.push(claimed);
  }
  for (const claimed of analysed) {
    if (options.signal?.aborted) return;
    await estimateCompressedSizes(claimed, options);
  }
};

const failureOf = (error: unknown, signal?: AbortSignal): { code: ContentErrorCode; message: string } => {
  const message = error instanceof Error ? error.message : String(error);
  if (signal?.aborted) return { code: "INTERRUPTED", message: `the content analysis was stopped: ${String(signal.reason ?? "worker shutdown")}` };
  if (isAppError(error) && error.code === "NOT_FOUND" && message === IMAGE_GONE_MESSAGE) return { code: "IMAGE_GONE", message: IMAGE_GONE_MESSAGE };
  if (error instanceof ImageExportError) return { code: "EXPORT_CORRUPT", message };
  if (isAppError(error) && (error.code === "ENGINE_UNAVAILABLE" || error.code === "DATABASE_UNAVAILABLE")) return { code: error.code, message };
  return { code: "INTERNAL", message };
};

/** Indexes and stores one image's contents; false when it failed (recorded on the analysis). */
export const analyseImageContent = async (analysis: ClaimedContentAnalysis, options: ContentAnalysisOptions): Promise<boolean> => {
  try {
    await indexAndStore(analysis, options);
    return true;
  } catch (error) {
    const failure = failureOf(error, options.signal);
    console.warn(`[content] analysis of build ${analysis.buildId} (${analysis.image}) failed: ${failure.message}`);
    await failContentAnalysis(analysis.id, failure.code, failure.message).catch(() => undefined);
    return false;
  } finally {
    await deleteUnreferencedContentLayers().catch((error) => console.error("[content] garbage collection failed:", (error as Error).message));
  }
};

type Indexed = { parsed: Map<string, StoredLayer>; reusedDiffIds: Set<string>; bytesRead: number; layersDone: number };

const streamLayers = async (
  analysis: ClaimedContentAnalysis,
  image: ImageForContent,
  plan: ContentLayerPlan,
  trustNames: boolean,
  options: ContentAnalysisOptions,
): Promise<Indexed> => {
  const env = getEnv();
  const parsed = new Map<string, StoredLayer>();
  const reusedDiffIds = new Set<string>();
  let layersDone = 0;
  let bytesRead = 0;
  let lastProgress = Date.now();
  let progressWrite: Promise<void> = Promise.resolve();
  let source: AsyncIterable<Buffer> | null = null;
  const destroy = (error?: Error) => (source as unknown as { destroy?: (error?: Error) => void } | null)?.destroy?.(error);

  const knownDiffId = (entryName: string, predicted: string | null): string | null => {
    if (!trustNames) return null;
    if (predicted && plan.indexed.has(predicted)) return predicted;
    const named = plan.exportNames.get(entryName);
    if (named && plan.indexed.has(named)) return named;
    // An uncompressed OCI blob is named by its own digest, which is its diff_id.
    const blob = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(entryName);
    if (blob && plan.indexed.has(`sha256:${blob[1]}`)) return `sha256:${blob[1]}`;
    return null;
  };

  // Layers are stored in order behind the read loop, not inside it: the export keeps streaming
  // while a layer's blob is encoded and written. The first failure stops the export.
  let saving: Promise<void> = Promise.resolve();
  let saveError: unknown = null;
  const onLayer = (layer: ExportedLayer) => {
    layersDone += 1;
    if (layer.content) parsed.set(layer.diffId, { diffId: layer.diffId, ...layer.content });
    else reusedDiffIds.add(layer.diffId);
    const stored = parsed.get(layer.diffId);
    saving = saving.then(async () => {
      if (saveError) return;
      try {
        // Written as soon as it was read to the end and hashed: a complete, verified unit on its own.
        if (layer.content && stored) await saveContentLayer(stored);
        await saveContentExportName(layer.entryName, layer.diffId);
      } catch (error) {
        saveError = error;
        destroy(error as Error);
      }
    });
  };

  source = await (options.openExport ?? exportImage)(options.docker, analysis.imageId);
  const abort = () => destroy(new Error("aborted"));
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    const summary = await readImageExport(source, {
      knownDiffId,
      diffIds: image.diffIds,
      onLayer,
      indexOptions: { maxEntries: env.LAYERBOARD_CONTENT_MAX_ENTRIES, maxCapturedBytes: env.LAYERBOARD_CONTENT_MAX_CAPTURE_BYTES },
      onBytes: (bytes) => {
        bytesRead = bytes;
        if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = Date.now();
        progressWrite = progressWrite.then(() => recordContentProgress(analysis.id, { bytesRead, layersDone }).catch(() => undefined));
      },
    });
    await saving;
    if (saveError) throw saveError;
    await progressWrite;
    return { parsed, reusedDiffIds, bytesRead: summary.bytesRead, layersDone };
  } catch (error) {
    // A failed store explains the export cut short better than the export error it caused.
    await saving;
    throw saveError ?? error;
  } finally {
    options.signal?.removeEventListener("abort", abort);
    // Stops the engine's export when the reading ended early (a no-op once the body has ended).
    destroy();
  }
};

const indexAndStore = async (analysis: ClaimedContentAnalysis, options: ContentAnalysisOptions) => {
  const image = await inspectImageForContent(options.docker, analysis.imageId);
  const baseFlags = await findBaseLayerFlags(analysis.buildId, analysis.image, image.diffIds);
  const layers = image.diffIds.map((diffId, index) => ({ index, diffId, isFromBase: baseFlags[index] ?? false }));
  const plan = await startContentAnalysisLayers(analysis.id, layers, { bytesTotal: image.size, layersTotal: image.diffIds.length });

  let indexed: Indexed;
  try {
    // Every layer indexed already: the engine's diff_ids say all there is to know, so the export
    // (which engine 20.10 stages in full before its first byte) is not even opened.
    indexed = image.diffIds.every((diffId) => plan.indexed.has(diffId))
      ? { parsed: new Map(), reusedDiffIds: new Set(image.diffIds), bytesRead: 0, layersDone: image.diffIds.length }
      : await streamLayers(analysis, image, plan, true, options);
  } catch (error) {
    // A remembered entry name pointed at another layer (not seen on 20.10): read it all again without trusting names.
    if (!(error instanceof ExportNameMismatchError)) throw error;
    indexed = await streamLayers(analysis, image, plan, false, options);
  }

  // Reused layers come from the store; parsed ones are still in memory.
  const missing = image.diffIds.filter((diffId) => !indexed.parsed.has(diffId));
  const stored = new Map((await readContentLayers([...new Set(missing)])).map((layer) => [layer.diffId, layer]));
  const ordered: LayerIndex[] = image.diffIds.map((diffId) => indexed.parsed.get(diffId) ?? stored.get(diffId)!);
  const droppedEntries = ordered.reduce((sum, layer) => sum + ((layer as StoredLayer).droppedEntries ?? 0), 0);

  // Base layers come first (the pipeline's Layer rows); an image made only of base layers has no own layer.
  const firstOwn = baseFlags.findIndex((isBase) => !isBase);
  const firstOwnLayer = firstOwn === -1 ? ordered.length : firstOwn;
  const { filesystem, waste } = mergeWithWaste(ordered, { firstOwnLayer });
  const ownership = findPackages(filesystem);
  let findings = findRunEvidence(filesystem, image.config, { firstOwnLayer });
  if (findings.some((finding) => finding.evidence.missing)) {
    const providedBy = await buildProvidedBy(analysis);
    if (providedBy) findings = findRunEvidence(filesystem, image.config, { firstOwnLayer, providedBy });
  }

  const result: StoredContentResult = {
    ...countFiles(filesystem),
    packages: ownership.packages,
    unowned: [...ownership.unowned].sort((a, b) => b.bytes - a.bytes).slice(0, MAX_UNOWNED_GROUPS),
    findings,
    waste,
    advice: adviseOnContent({
      fs: filesystem,
      packages: ownership,
      layers: await findAdviceLayers(analysis.buildId, analysis.image as LayerImage),
      env: image.config.env,
      waste,
    }),
    droppedEntries,
  };
  const reusedIndexes = layers.filter((layer) => indexed.reusedDiffIds.has(layer.diffId) && !indexed.parsed.has(layer.diffId)).map((layer) => layer.index);
  await finishContentAnalysis(analysis.id, { result, reusedIndexes, bytesRead: indexed.bytesRead, layersDone: indexed.layersDone });
};

const countFiles = (filesystem: FinalFilesystem) => {
  let files = 0;
  let dirs = 0;
  let symlinks = 0;
  let hardlinks = 0;
  let fileBytes = 0;
  for (const entry of filesystem.entries.values()) {
    if (entry.kind === "file") {
      files += 1;
      fileBytes += entry.size;
    } else if (entry.kind === "dir") dirs += 1;
    else if (entry.kind === "symlink") symlinks += 1;
    else if (entry.kind === "hardlink") hardlinks += 1;
  }
  return { files, dirs, symlinks, hardlinks, fileBytes };
};

// A missing file's basename looked up in other indexed images of the project (the build image,
// other variants): the package that owns a file of that name there.
const buildProvidedBy = async (analysis: ClaimedContentAnalysis): Promise<((missing: string) => string | undefined) | null> => {
  const siblings = await findSiblingContentAnalyses(analysis);
  if (!siblings.length) return null;
  const owners = new Map<string, string>();
  for (const sibling of siblings) {
    const filesystem = await getFinalFilesystem(sibling.buildId, sibling.image).catch(() => null);
    if (!filesystem) continue;
    const { ownerOf } = findPackages(filesystem);
    for (const entry of filesystem.entries.values()) {
      if (entry.kind !== "file" && entry.kind !== "symlink" && entry.kind !== "hardlink") continue;
      const name = baseNameOf(entry.path);
      if (owners.has(name)) continue;
      const owner = ownerOf(entry.path);
      if (owner) owners.set(name, owner);
    }
  }
  return (missing) => owners.get(baseNameOf(missing));
};
