// A build's image contents: the analysis job's state and results, and the per-layer indexes
// (cached by diff_id) its final filesystem is merged from. The UI, API, reports and CLI read
// through findContentAnalysis and getFinalFilesystem; the job (lib/builds/content-analysis.ts)
// writes through the rest. Nothing is half-written: a layer row is inserted only once its
// stream was read to the end, results only with SUCCEEDED, and a failed analysis drops its
// layer references so the garbage collection removes what only it had indexed.
import "server-only";
import type { Finding } from "@/lib/analysis/advice";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { toNumber } from "@/lib/data/mappers";
import { mergeWithChanges, type FilesystemChanges } from "@/lib/content/changes";
import { decodeLayerBlob, encodeLayerBlob, type StoredLayer } from "@/lib/content/layer-blob";
import type {
  ContentFinding,
  FinalFilesystem,
  LayerStats,
  PackageRecord,
  UnownedGroup,
  WasteReport,
} from "@/lib/content/types";

export type ContentAnalysisStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";

/**
 * ContentAnalysisDto.error.code: IMAGE_GONE (the image was removed from the engine before the
 * analysis), EXPORT_CORRUPT (a truncated or malformed export or layer), or an AppErrorCode
 * (ENGINE_UNAVAILABLE, DATABASE_UNAVAILABLE, INTERRUPTED, INTERNAL).
 */
export type ContentErrorCode = "IMAGE_GONE" | "EXPORT_CORRUPT" | "ENGINE_UNAVAILABLE" | "DATABASE_UNAVAILABLE" | "INTERRUPTED" | "INTERNAL";

export type ContentLayerDto = {
  /** Position among the image's non-empty layers, 0 = lowest (the `layer` of FinalEntry). */
  index: number;
  diffId: string;
  isFromBase: boolean;
  /** True when this analysis found the layer already indexed and only drained its stream. */
  reused: boolean;
  stats: LayerStats;
};

export type ContentAnalysisDto = {
  buildId: string;
  /** "main" (the image that ships) or "build" (a builder-pattern build image). */
  image: string;
  status: ContentAnalysisStatus;
  progress: { bytesRead: number; bytesTotal: number | null; layersDone: number; layersTotal: number | null };
  error: { code: string; message: string } | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Null until SUCCEEDED. */
  result: {
    files: number;
    dirs: number;
    symlinks: number;
    fileBytes: number;
    layers: ContentLayerDto[];
    packages: PackageRecord[];
    unowned: UnownedGroup[];
    findings: ContentFinding[];
    waste: WasteReport;
    /** Advice measured on the contents (lib/content/content-advice.ts); absent in analyses stored before it existed. */
    advice?: Finding[];
  } | null;
};

/** What the job stores with SUCCEEDED (ContentAnalysis.result); `layers` come from the join rows. */
export type StoredContentResult = Omit<NonNullable<ContentAnalysisDto["result"]>, "layers"> & {
  /** Entries not recorded because a layer passed LAYERBOARD_CONTENT_MAX_ENTRIES. */
  droppedEntries: number;
  hardlinks: number;
};

// Serialises "which layers are referenced" between the garbage collection and analyses starting:
// an analysis registers its layers under this lock before it decides which to reuse.
const GC_LOCK_KEY = 11_000_011;

const statsOf = (row: { files: number; dirs: number; symlinks: number; hardlinks: number; whiteouts: number; fileBytes: bigint; tarBytes: bigint }): LayerStats => ({
  files: row.files,
  dirs: row.dirs,
  symlinks: row.symlinks,
  hardlinks: row.hardlinks,
  whiteouts: row.whiteouts,
  fileBytes: toNumber(row.fileBytes),
  tarBytes: toNumber(row.tarBytes),
});

const emptyStats = (): LayerStats => ({ files: 0, dirs: 0, symlinks: 0, hardlinks: 0, whiteouts: 0, fileBytes: 0, tarBytes: 0 });

// ---- the read side ----

/** The newest analysis of the build's image, or null when none was queued (e.g. a failed build). */
export const findContentAnalysis = async (buildId: string, image = "main"): Promise<ContentAnalysisDto | null> => {
  const row = await db.contentAnalysis.findUnique({
    where: { buildId_image: { buildId, image } },
    include: { layers: { orderBy: { index: "asc" } } },
  });
  if (!row) return null;
  let result: ContentAnalysisDto["result"] = null;
  if (row.status === "SUCCEEDED" && row.result) {
    const stored = row.result as unknown as StoredContentResult;
    const stats = new Map(
      (
        await db.contentLayer.findMany({
          where: { diffId: { in: row.layers.map((layer) => layer.diffId) } },
          select: { diffId: true, files: true, dirs: true, symlinks: true, hardlinks: true, whiteouts: true, fileBytes: true, tarBytes: true },
        })
      ).map((layer) => [layer.diffId, statsOf(layer)]),
    );
    result = {
      files: stored.files,
      dirs: stored.dirs,
      symlinks: stored.symlinks,
      fileBytes: stored.fileBytes,
      packages: stored.packages,
      unowned: stored.unowned,
      findings: stored.findings,
      waste: stored.waste,
      advice: stored.advice,
      layers: row.layers.map((layer) => ({
        index: layer.index,
        diffId: layer.diffId,
        isFromBase: layer.isFromBase,
        reused: layer.reused,
        stats: stats.get(layer.diffId) ?? emptyStats(),
      })),
    };
  }
  return {
    buildId: row.buildId,
    image: row.image,
    status: row.status,
    progress: {
      bytesRead: toNumber(row.bytesRead),
      bytesTotal: row.bytesTotal === null ? null : toNumber(row.bytesTotal),
      layersDone: row.layersDone,
      layersTotal: row.layersTotal,
    },
    error: row.errorCode ? { code: row.errorCode, message: row.error ?? "" } : null,
    queuedAt: row.queuedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.durationMs,
    result,
  };
};

/** The stored layer indexes, decoded, in the order asked (a missing one throws NOT_FOUND). */
export const readContentLayers = async (diffIds: string[]): Promise<StoredLayer[]> => {
  const unique = [...new Set(diffIds)];
  const decoded = new Map<string, StoredLayer>();
  // A few at a time: each blob is decoded in full (a few MB for a 100k-file layer).
  for (let offset = 0; offset < unique.length; offset += 4) {
    const rows = await db.contentLayer.findMany({ where: { diffId: { in: unique.slice(offset, offset + 4) } }, select: { diffId: true, blob: true } });
    for (const row of rows) decoded.set(row.diffId, await decodeLayerBlob(row.blob));
  }
  return diffIds.map((diffId) => {
    const layer = decoded.get(diffId);
    if (!layer) throw new AppError("NOT_FOUND", `layer index ${diffId} is not stored`);
    return layer;
  });
};

// The last merged filesystems, by analysis: a page and its API calls ask for the same one.
const FILESYSTEM_CACHE_SIZE = 4;
const filesystems = new Map<string, { filesystem: FinalFilesystem; changes: FilesystemChanges }>();

/** The build's final filesystem merged from its stored layer indexes; NOT_FOUND without a finished analysis. */
export const getFinalFilesystem = async (buildId: string, image = "main"): Promise<FinalFilesystem> =>
  (await getFinalFilesystemWithChanges(buildId, image)).filesystem;

/** The final filesystem and each path's change (added / modified / deleted, lib/content/changes.ts), derived in the same merge. */
export const getFinalFilesystemWithChanges = async (buildId: string, image = "main"): Promise<{ filesystem: FinalFilesystem; changes: FilesystemChanges }> => {
  const row = await db.contentAnalysis.findUnique({
    where: { buildId_image: { buildId, image } },
    select: { id: true, status: true, finishedAt: true, layers: { orderBy: { index: "asc" }, select: { diffId: true } } },
  });
  if (!row || row.status !== "SUCCEEDED") throw new AppError("NOT_FOUND", `build ${buildId} has no content analysis`);
  const key = `${row.id}:${row.finishedAt?.getTime()}`;
  const cached = filesystems.get(key);
  if (cached) return cached;
  const merged = mergeWithChanges(await readContentLayers(row.layers.map((layer) => layer.diffId)));
  filesystems.set(key, merged);
  while (filesystems.size > FILESYSTEM_CACHE_SIZE) filesystems.delete(filesystems.keys().next().value!);
  return merged;
};

// ---- the job's side ----

export type ContentImageInput = { image: string; imageId: string };

/** The images of a build the analysis covers: the build image first (builder pattern), then the main image. */
export const findContentImages = async (buildId: string): Promise<ContentImageInput[]> => {
  const build = await db.build.findUnique({ where: { id: buildId }, select: { imageId: true, buildImageId: true, status: true } });
  if (!build || build.status !== "SUCCEEDED") return [];
  const images: ContentImageInput[] = [];
  if (build.buildImageId) images.push({ image: "build", imageId: build.buildImageId });
  if (build.imageId) images.push({ image: "main", imageId: build.imageId });
  return images;
};

/** Queues (or re-queues, clearing earlier results) one analysis per image. */
export const createContentAnalyses = async (buildId: string, images: ContentImageInput[]): Promise<void> => {
  for (const { image, imageId } of images) {
    const reset = {
      imageId,
      status: "QUEUED" as const,
      bytesRead: 0n,
      bytesTotal: null,
      layersDone: 0,
      layersTotal: null,
      errorCode: null,
      error: null,
      queuedAt: new Date(),
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      heartbeatAt: null,
    };
    await db.$transaction(async (tx) => {
      const row = await tx.contentAnalysis.upsert({
        where: { buildId_image: { buildId, image } },
        create: { buildId, image, imageId },
        update: { ...reset, result: Prisma.DbNull },
      });
      await tx.contentAnalysisLayer.deleteMany({ where: { analysisId: row.id } });
    });
  }
};

export type ClaimedContentAnalysis = { id: string; buildId: string; image: string; imageId: string; projectId: string };

/** QUEUED → RUNNING; null when it is not queued (already taken, or gone with its build). */
export const claimContentAnalysis = async (buildId: string, image: string): Promise<ClaimedContentAnalysis | null> => {
  const now = new Date();
  const { count } = await db.contentAnalysis.updateMany({
    where: { buildId, image, status: "QUEUED" },
    data: { status: "RUNNING", startedAt: now, heartbeatAt: now },
  });
  if (!count) return null;
  const row = await db.contentAnalysis.findUnique({ where: { buildId_image: { buildId, image } }, include: { build: { select: { projectId: true } } } });
  if (!row?.imageId) return null;
  return { id: row.id, buildId, image, imageId: row.imageId, projectId: row.build.projectId };
};

/** Which of an image's layers (lowest first) came from its base image, from the pipeline's Layer rows. */
export const findBaseLayerFlags = async (buildId: string, image: string, diffIds: string[]): Promise<boolean[]> => {
  const rows = await db.layer.findMany({ where: { buildId, image, isEmpty: false }, orderBy: { position: "asc" }, select: { isFromBase: true, layerDigest: true } });
  const byDigest = new Map(rows.filter((row) => row.layerDigest).map((row) => [row.layerDigest!, row.isFromBase]));
  if (rows.length === diffIds.length) return rows.map((row) => row.isFromBase);
  return diffIds.map((diffId) => byDigest.get(diffId) ?? false);
};

export type ContentLayerPlan = {
  /** diff_ids already indexed. */
  indexed: Set<string>;
  /** Export entry names known to carry an indexed layer. */
  exportNames: Map<string, string>;
};

/**
 * Registers the analysis' layers (so the garbage collection keeps them from now on) and says
 * which are indexed already. Under the GC lock: a collection runs wholly before or after.
 */
export const startContentAnalysisLayers = async (
  analysisId: string,
  layers: Array<{ index: number; diffId: string; isFromBase: boolean }>,
  progress: { bytesTotal: number; layersTotal: number },
): Promise<ContentLayerPlan> =>
  db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GC_LOCK_KEY})`;
    await tx.contentAnalysisLayer.deleteMany({ where: { analysisId } });
    await tx.contentAnalysisLayer.createMany({ data: layers.map((layer) => ({ analysisId, ...layer, reused: false })) });
    await tx.contentAnalysis.update({ where: { id: analysisId }, data: { bytesTotal: BigInt(progress.bytesTotal), layersTotal: progress.layersTotal } });
    const diffIds = [...new Set(layers.map((layer) => layer.diffId))];
    const indexed = await tx.contentLayer.findMany({ where: { diffId: { in: diffIds } }, select: { diffId: true } });
    const names = await tx.contentLayerExportName.findMany({ where: { diffId: { in: diffIds } } });
    return { indexed: new Set(indexed.map((row) => row.diffId)), exportNames: new Map(names.map((row) => [row.name, row.diffId])) };
  });

export const recordContentProgress = async (analysisId: string, progress: { bytesRead: number; layersDone: number }): Promise<void> => {
  await db.contentAnalysis.updateMany({
    where: { id: analysisId, status: "RUNNING" },
    data: { bytesRead: BigInt(progress.bytesRead), layersDone: progress.layersDone, heartbeatAt: new Date() },
  });
};

/** Stores a fully read layer's index (a no-op when another analysis stored it first). */
export const saveContentLayer = async (layer: StoredLayer): Promise<{ blobBytes: number }> => {
  const blob = await encodeLayerBlob(layer);
  await db.contentLayer.createMany({
    data: [
      {
        diffId: layer.diffId,
        blob: new Uint8Array(blob),
        entries: layer.entries.length,
        droppedEntries: layer.droppedEntries,
        files: layer.stats.files,
        dirs: layer.stats.dirs,
        symlinks: layer.stats.symlinks,
        hardlinks: layer.stats.hardlinks,
        whiteouts: layer.stats.whiteouts,
        fileBytes: BigInt(layer.stats.fileBytes),
        tarBytes: BigInt(layer.stats.tarBytes),
      },
    ],
    skipDuplicates: true,
  });
  return { blobBytes: blob.length };
};

/** Remembers the export entry that carried an indexed layer (the next export with that name is only drained). */
export const saveContentExportName = async (name: string, diffId: string): Promise<void> => {
  await db.$executeRaw`
    INSERT INTO "ContentLayerExportName" ("name", "diffId")
    SELECT ${name}, ${diffId} WHERE EXISTS (SELECT 1 FROM "ContentLayer" WHERE "diffId" = ${diffId})
    ON CONFLICT ("name") DO UPDATE SET "diffId" = EXCLUDED."diffId"`;
};

/** RUNNING → SUCCEEDED with the results, in one transaction; false when it was no longer running. */
export const finishContentAnalysis = async (
  analysisId: string,
  outcome: { result: StoredContentResult; reusedIndexes: number[]; bytesRead: number; layersDone: number },
): Promise<boolean> =>
  db.$transaction(async (tx) => {
    const row = await tx.contentAnalysis.findUnique({ where: { id: analysisId }, select: { status: true, startedAt: true } });
    if (row?.status !== "RUNNING") return false;
    const finishedAt = new Date();
    await tx.contentAnalysisLayer.updateMany({ where: { analysisId, index: { in: outcome.reusedIndexes } }, data: { reused: true } });
    await tx.contentAnalysis.update({
      where: { id: analysisId },
      data: {
        status: "SUCCEEDED",
        result: outcome.result as never,
        bytesRead: BigInt(outcome.bytesRead),
        bytesTotal: BigInt(outcome.bytesRead),
        layersDone: outcome.layersDone,
        finishedAt,
        durationMs: row.startedAt ? finishedAt.getTime() - row.startedAt.getTime() : null,
        errorCode: null,
        error: null,
      },
    });
    return true;
  });

/** → FAILED with a code and message; drops its layer references and any result. */
export const failContentAnalysis = async (analysisId: string, code: ContentErrorCode, message: string): Promise<void> => {
  await db.$transaction(async (tx) => {
    const row = await tx.contentAnalysis.findUnique({ where: { id: analysisId }, select: { startedAt: true } });
    if (!row) return;
    const finishedAt = new Date();
    await tx.contentAnalysisLayer.deleteMany({ where: { analysisId } });
    await tx.contentAnalysis.update({
      where: { id: analysisId },
      data: {
        status: "FAILED",
        errorCode: code,
        error: message.slice(0, 2000),
        result: Prisma.DbNull,
        finishedAt,
        durationMs: row.startedAt ? finishedAt.getTime() - row.startedAt.getTime() : null,
      },
    });
  });
};

/** RUNNING analyses whose worker stopped heartbeating → FAILED (INTERRUPTED); their ids. */
export const failStaleContentAnalyses = async (timeoutSeconds: number): Promise<string[]> => {
  const stale = await db.contentAnalysis.findMany({
    where: { status: "RUNNING", heartbeatAt: { lt: new Date(Date.now() - timeoutSeconds * 1000) } },
    select: { id: true },
  });
  for (const { id } of stale) await failContentAnalysis(id, "INTERRUPTED", "the worker stopped during the content analysis");
  return stale.map((row) => row.id);
};

/**
 * Removes the layer indexes no analysis references any more (after each analysis, and after
 * builds are deleted: their analyses go with them by cascade). Returns how many were removed.
 */
export const deleteUnreferencedContentLayers = async (): Promise<number> =>
  db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GC_LOCK_KEY})`;
    return tx.$executeRaw`
      DELETE FROM "ContentLayer" AS layer
      WHERE NOT EXISTS (SELECT 1 FROM "ContentAnalysisLayer" AS used WHERE used."diffId" = layer."diffId")`;
  });

/**
 * Other successful analyses of the same project, newest first (the same build's build image
 * first): where a missing library may be found, e.g. the build stage or another variant.
 */
export const findSiblingContentAnalyses = async (
  analysis: { id: string; buildId: string; projectId: string },
  limit = 3,
): Promise<Array<{ buildId: string; image: string }>> => {
  const rows = await db.contentAnalysis.findMany({
    where: { status: "SUCCEEDED", id: { not: analysis.id }, build: { projectId: analysis.projectId } },
    orderBy: { finishedAt: "desc" },
    take: 20,
    select: { buildId: true, image: true },
  });
  const sameBuild = rows.filter((row) => row.buildId === analysis.buildId);
  return [...sameBuild, ...rows.filter((row) => row.buildId !== analysis.buildId)].slice(0, limit);
};

/** The engine (DOCKER_HOST) of the worker that built the build: its images live there. */
export const findBuildDockerHost = async (buildId: string): Promise<string | null> => {
  const build = await db.build.findUnique({ where: { id: buildId }, select: { workerId: true } });
  if (!build?.workerId) return null;
  const worker = await db.worker.findUnique({ where: { id: build.workerId }, select: { dockerHost: true } });
  return worker?.dockerHost ?? null;
};
