// Builds: history and detail, the previous successful build, and the pipeline's writes of
// what it learns (engine, image, sizes). Status changes live in build-status.ts only.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { buildSummaryInclude, toBuildDetailDto, toBuildSummaryDto, toNumber, type BuildRowWithRelations } from "@/lib/data/mappers";
import type { BuildDetailDto, BuildStatus, BuildSummaryDto } from "@/lib/types";
import { MAIN_IMAGE } from "@/lib/layer-images";
import { parseBuildPhases } from "@/lib/builds/build-phases";

// Layer count and base-image bytes per build, aggregated in SQL.
const findLayerStats = async (buildIds: string[]) => {
  if (!buildIds.length) return new Map<string, { layerCount: number; baseSize: number }>();
  const rows = await db.layer.groupBy({
    by: ["buildId", "isFromBase", "isEmpty"],
    where: { buildId: { in: buildIds }, image: MAIN_IMAGE },
    _sum: { size: true },
    _count: { _all: true },
  });
  const stats = new Map<string, { layerCount: number; baseSize: number }>();
  for (const row of rows) {
    const entry = stats.get(row.buildId) ?? { layerCount: 0, baseSize: 0 };
    if (!row.isEmpty) entry.layerCount += row._count._all;
    if (row.isFromBase) entry.baseSize += toNumber(row._sum.size ?? 0);
    stats.set(row.buildId, entry);
  }
  return stats;
};

const toSummaries = async (rows: BuildRowWithRelations[]): Promise<BuildSummaryDto[]> => {
  const stats = await findLayerStats(rows.filter((r) => r.status === "SUCCEEDED").map((r) => r.id));
  return rows.map((row) => toBuildSummaryDto(row, stats.get(row.id)));
};

export const getBuild = async (id: string): Promise<BuildDetailDto> => {
  const row = await db.build.findUnique({
    where: { id },
    include: { ...buildSummaryInclude, smoke: true, steps: true, layers: true },
  });
  if (!row) throw new AppError("NOT_FOUND", `build ${id} not found`);
  return toBuildDetailDto(row);
};

export const findBuilds = async (filter: {
  projectId?: string;
  variantId?: string;
  comparisonId?: string;
  status?: BuildStatus | BuildStatus[];
  ids?: string[];
  limit?: number;
}): Promise<BuildSummaryDto[]> => {
  const rows = await db.build.findMany({
    where: {
      projectId: filter.projectId,
      variantId: filter.variantId,
      comparisonId: filter.comparisonId,
      id: filter.ids ? { in: filter.ids } : undefined,
      status: Array.isArray(filter.status) ? { in: filter.status } : filter.status,
    },
    include: buildSummaryInclude,
    orderBy: { queuedAt: "desc" },
    take: filter.limit ?? 50,
  });
  return toSummaries(rows);
};

export const getBuildStatus = async (id: string) => {
  const row = await db.build.findUnique({
    where: { id },
    select: { status: true, stepsDone: true, stepsTotal: true, logLines: true, error: true, errorCode: true, finishedAt: true },
  });
  if (!row) throw new AppError("NOT_FOUND", `build ${id} not found`);
  return row;
};

/**
 * The one "previous successful build" query: the latest successful build of the same variant
 * queued before this one, so an old build is compared with what came before it, not after
 * (failed builds have no layers to diff).
 */
export const findPreviousSuccessfulBuild = async (build: {
  id: string;
  variantId: string;
  queuedAt: string | Date;
}): Promise<{ id: string; totalSize: number | null; compressedSize: number | null } | null> => {
  const row = await db.build.findFirst({
    where: { variantId: build.variantId, status: "SUCCEEDED", id: { not: build.id }, queuedAt: { lt: new Date(build.queuedAt) } },
    orderBy: { queuedAt: "desc" },
    select: { id: true, totalSize: true, compressedSize: true },
  });
  return row ? { id: row.id, totalSize: toNumber(row.totalSize), compressedSize: toNumber(row.compressedSize) } : null;
};

/** The build row a worker runs, with its project and variant. */
export const getBuildForRun = async (id: string) => {
  const row = await db.build.findUnique({ where: { id }, include: { project: true, variant: true } });
  if (!row) throw new AppError("NOT_FOUND", `build ${id} not found`);
  return row;
};

export type BuildForRun = Awaited<ReturnType<typeof getBuildForRun>>;

/** What a live viewer follows (SSE); null when the build does not exist. */
export const findBuildState = async (id: string) => {
  const row = await db.build.findUnique({
    where: { id },
    select: { status: true, stepsTotal: true, stepsDone: true, cachedSteps: true, logLines: true, logTruncated: true, error: true, errorCode: true, totalSize: true, startedAt: true, finishedAt: true, phases: true },
  });
  return row ? { ...row, totalSize: toNumber(row.totalSize), phases: parseBuildPhases(row.phases) } : null;
};

/** What the pipeline learns about a running build. Never its status: see build-status.ts. */
export type BuildDetailsInput = {
  contextRevision?: string | null;
  engineVersion?: string | null;
  storageDriver?: string | null;
  imageTag?: string | null;
  imageId?: string | null;
  totalSize?: number | null;
  buildImageId?: string | null;
  buildImageSize?: number | null;
};

const toBigInt = (value: number | null | undefined) => (value === undefined ? undefined : value === null ? null : BigInt(value));

export const updateBuildDetails = async (id: string, details: BuildDetailsInput): Promise<void> => {
  await db.build.update({
    where: { id },
    data: { ...details, totalSize: toBigInt(details.totalSize), buildImageSize: toBigInt(details.buildImageSize) },
  });
};
