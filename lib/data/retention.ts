// What the retention job reads (builds with images, what keeps them, expired logs, unused
// archives) and writes (image removed, log removed, archive deleted). Build rows never go.
import "server-only";
import { db } from "@/lib/db";
import { toNumber } from "@/lib/data/mappers";
import { pickBaselineBuild } from "@/lib/analysis/comparison-metrics";
import { AppError } from "@/lib/errors";
import { FINISHED_STATUSES } from "@/lib/types";

export type ProjectRetention = { id: string; slug: string; name: string; retainBuilds: number | null; retainLogDays: number | null };

export const findProjectRetentions = (): Promise<ProjectRetention[]> =>
  db.project.findMany({ select: { id: true, slug: true, name: true, retainBuilds: true, retainLogDays: true }, orderBy: { slug: "asc" } });

export const updateProjectRetention = async (projectId: string, input: { retainBuilds: number | null; retainLogDays: number | null }): Promise<ProjectRetention> => {
  const row = await db.project.update({
    where: { id: projectId },
    data: input,
    select: { id: true, slug: true, name: true, retainBuilds: true, retainLogDays: true },
  });
  return row;
};

/** Every build that has (or had) an image, with the engine its worker used. */
export const findBuildsWithImages = async () => {
  const rows = await db.build.findMany({
    where: { OR: [{ imageId: { not: null } }, { buildImageId: { not: null } }] },
    select: {
      id: true,
      projectId: true,
      variantId: true,
      status: true,
      queuedAt: true,
      imageId: true,
      buildImageId: true,
      imageTag: true,
      totalSize: true,
      pinnedAt: true,
      imageRemovedAt: true,
      workerId: true,
    },
  });
  const workerIds = [...new Set(rows.flatMap((r) => (r.workerId ? [r.workerId] : [])))];
  const workers = await db.worker.findMany({ where: { id: { in: workerIds } }, select: { id: true, dockerHost: true } });
  const hostOf = new Map(workers.map((w) => [w.id, w.dockerHost]));
  return rows.map((row) => ({
    ...row,
    totalSize: toNumber(row.totalSize),
    finished: FINISHED_STATUSES.includes(row.status),
    dockerHost: row.workerId ? (hostOf.get(row.workerId) ?? null) : null,
  }));
};

/** Builds an active share link shows: build links, and every build of a linked comparison. */
export const findSharedBuildIds = async (now = new Date()): Promise<Set<string>> => {
  const links = await db.shareLink.findMany({
    where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { buildId: true, comparisonId: true },
  });
  const comparisonIds = links.flatMap((l) => (l.comparisonId ? [l.comparisonId] : []));
  const comparisonBuilds = comparisonIds.length
    ? await db.build.findMany({ where: { comparisonId: { in: comparisonIds } }, select: { id: true } })
    : [];
  return new Set([...links.flatMap((l) => (l.buildId ? [l.buildId] : [])), ...comparisonBuilds.map((b) => b.id)]);
};

/** Each comparison's baseline build (the compare page's default: single-stage, else the first with a size). */
export const findBaselineBuildIds = async (): Promise<Set<string>> => {
  const rows = await db.build.findMany({
    where: { comparisonId: { not: null } },
    select: { id: true, comparisonId: true, totalSize: true, variant: { select: { name: true, strategy: true } } },
  });
  const byComparison = new Map<string, Array<{ id: string; strategy: (typeof rows)[number]["variant"]["strategy"]; variantName: string; totalSize: number | null }>>();
  for (const row of rows)
    byComparison.set(row.comparisonId!, [
      ...(byComparison.get(row.comparisonId!) ?? []),
      { id: row.id, strategy: row.variant.strategy, variantName: row.variant.name, totalSize: toNumber(row.totalSize) },
    ]);
  const ids = new Set<string>();
  for (const builds of byComparison.values()) {
    const baseline = pickBaselineBuild(builds);
    if (baseline) ids.add(baseline.id);
  }
  return ids;
};

export const recordImagesRemoved = async (buildIds: string[], at = new Date()): Promise<number> => {
  if (!buildIds.length) return 0;
  const { count } = await db.build.updateMany({ where: { id: { in: buildIds }, imageRemovedAt: null }, data: { imageRemovedAt: at } });
  return count;
};

export type ExpiredLog = { buildId: string; projectId: string; finishedAt: string; logLines: number; days: number };

// One bounded batch per run: a first run on a big history catches up over several runs.
const LOG_BATCH = 500;

/** Finished builds older than their project's D days that still have log lines. */
export const findExpiredLogs = async (cutoffs: Array<{ projectId: string; days: number; before: Date }>): Promise<ExpiredLog[]> => {
  if (!cutoffs.length) return [];
  const rows = await db.build.findMany({
    where: { logRemovedAt: null, logs: { some: {} }, OR: cutoffs.map((c) => ({ projectId: c.projectId, finishedAt: { lt: c.before } })) },
    select: { id: true, projectId: true, finishedAt: true, logLines: true },
    orderBy: { finishedAt: "asc" },
    take: LOG_BATCH,
  });
  const daysOf = new Map(cutoffs.map((c) => [c.projectId, c.days]));
  return rows.map((r) => ({ buildId: r.id, projectId: r.projectId, finishedAt: r.finishedAt!.toISOString(), logLines: r.logLines, days: daysOf.get(r.projectId)! }));
};

/** Deletes a build's log lines; the build keeps its counters, steps, error and smoke result, and says when. */
export const deleteBuildLog = async (buildId: string, days: number, at = new Date()): Promise<number> => {
  const [deleted] = await db.$transaction([
    db.logLine.deleteMany({ where: { buildId } }),
    db.build.update({ where: { id: buildId }, data: { logRemovedAt: at, logRetainedDays: days } }),
  ]);
  return deleted.count;
};

export type UnusedArchive = { id: string; filename: string; size: number; createdAt: string };

/** Uploaded archives no project points at, uploaded before `before` (a fresh upload is attached a moment later). */
export const findUnusedContextArchives = async (before: Date): Promise<UnusedArchive[]> => {
  const rows = await db.contextArchive.findMany({
    where: { projects: { none: {} }, createdAt: { lt: before } },
    select: { id: true, filename: true, size: true, createdAt: true },
    orderBy: { createdAt: "asc" },
    take: LOG_BATCH,
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
};

/** Deletes the archives among `ids` that are still unused (checked again in the same statement). */
export const deleteUnusedContextArchives = async (ids: string[]): Promise<number> => {
  if (!ids.length) return 0;
  const { count } = await db.contextArchive.deleteMany({ where: { id: { in: ids }, projects: { none: {} } } });
  return count;
};

/** Pins or unpins a build: a pinned build's image is never removed by retention. */
export const updateBuildPin = async (buildId: string, pinned: boolean, by: string): Promise<{ pinnedAt: string | null; pinnedBy: string | null }> => {
  const exists = await db.build.findUnique({ where: { id: buildId }, select: { id: true } });
  if (!exists) throw new AppError("NOT_FOUND", `build ${buildId} not found`);
  const row = await db.build.update({
    where: { id: buildId },
    data: pinned ? { pinnedAt: new Date(), pinnedBy: by } : { pinnedAt: null, pinnedBy: null },
    select: { pinnedAt: true, pinnedBy: true },
  });
  return { pinnedAt: row.pinnedAt?.toISOString() ?? null, pinnedBy: row.pinnedBy };
};
