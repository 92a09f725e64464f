// Builds: queueing, reading history and detail, cancel requests, log lines.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { toBuildDetailDto, toBuildSummaryDto, type BuildRowWithRelations } from "@/lib/data/mappers";
import { enqueueBuildJob } from "@/lib/builds/queue";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import type { BuildDetailDto, BuildStatus, BuildSummaryDto, LogLineDto } from "@/lib/types";

const summaryInclude = {
  project: { select: { name: true } },
  variant: { select: { name: true, strategy: true } },
  smoke: { select: { runs: true } },
} as const;

// Layer count and base-image bytes per build, aggregated in SQL.
const getLayerStats = async (buildIds: string[]) => {
  if (!buildIds.length) return new Map<string, { layerCount: number; baseSize: number }>();
  const rows = await db.layer.groupBy({
    by: ["buildId", "isFromBase", "isEmpty"],
    where: { buildId: { in: buildIds }, image: "main" },
    _sum: { size: true },
    _count: { _all: true },
  });
  const stats = new Map<string, { layerCount: number; baseSize: number }>();
  for (const row of rows) {
    const entry = stats.get(row.buildId) ?? { layerCount: 0, baseSize: 0 };
    if (!row.isEmpty) entry.layerCount += row._count._all;
    if (row.isFromBase) entry.baseSize += Number(row._sum.size ?? 0);
    stats.set(row.buildId, entry);
  }
  return stats;
};

const toSummaries = async (rows: BuildRowWithRelations[]): Promise<BuildSummaryDto[]> => {
  const stats = await getLayerStats(rows.filter((r) => r.status === "SUCCEEDED").map((r) => r.id));
  return rows.map((row) => toBuildSummaryDto(row, stats.get(row.id)));
};

export const createBuild = async (
  variantId: string,
  options: { comparisonId?: string; contextRevision?: string | null; builder?: "BUILDKIT" | "CLASSIC" } = {},
): Promise<BuildSummaryDto> => {
  const variant = await db.variant.findUnique({ where: { id: variantId }, include: { project: true } });
  if (!variant) throw new AppError("NOT_FOUND", `variant ${variantId} not found`);
  await assertProjectContextAllowed(variant.project);
  const { id: _id, createdAt: _c, projectId: _p, project: _project, position: _pos, ...variantSettings } = variant;
  const settings = { ...variantSettings, builder: options.builder ?? variant.builder };
  const build = await db.build.create({
    data: {
      projectId: variant.projectId,
      variantId: variant.id,
      comparisonId: options.comparisonId ?? null,
      builder: settings.builder,
      contextRevision: options.contextRevision ?? null,
      settings: JSON.parse(JSON.stringify(settings, (_k, v) => (typeof v === "bigint" ? Number(v) : v))),
    },
    include: summaryInclude,
  });
  try {
    await enqueueBuildJob(build.id);
  } catch (error) {
    // The record stays, marked failed, rather than a queued build nobody will run.
    await db.build.update({
      where: { id: build.id },
      data: { status: "FAILED", errorCode: "QUEUE_UNAVAILABLE", error: `could not enqueue: ${String(error)}`, finishedAt: new Date() },
    });
    throw new AppError("INTERNAL", "the build could not be queued; it is recorded as failed");
  }
  return toBuildSummaryDto(build);
};

export const getBuild = async (id: string): Promise<BuildDetailDto> => {
  const row = await db.build.findUnique({
    where: { id },
    include: { ...summaryInclude, smoke: true, steps: true, layers: true },
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
    include: summaryInclude,
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

// Queued builds are cancelled at once; running ones are flagged and their worker stops
// the engine build on its next heartbeat.
export const requestBuildCancel = async (id: string): Promise<BuildStatus> => {
  const queued = await db.build.updateMany({
    where: { id, status: "QUEUED" },
    data: { status: "CANCELLED", finishedAt: new Date(), error: "cancelled before it started", errorCode: "CANCELLED" },
  });
  if (queued.count) return "CANCELLED";
  const running = await db.build.updateMany({ where: { id, status: "RUNNING" }, data: { cancelRequested: true } });
  if (running.count) return "RUNNING";
  const build = await db.build.findUnique({ where: { id }, select: { status: true } });
  if (!build) throw new AppError("NOT_FOUND", `build ${id} not found`);
  throw new AppError("CONFLICT", `build ${id} already finished (${build.status.toLowerCase()})`);
};

export const findLogLines = async (buildId: string, afterSeq: number, limit = 1000): Promise<LogLineDto[]> => {
  const rows = await db.logLine.findMany({
    where: { buildId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
  });
  return rows.map((r) => ({ seq: r.seq, stream: r.stream, text: r.text, at: r.at.toISOString() }));
};
