// Comparisons: every variant of a project queued together at one context revision.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findBuilds } from "@/lib/data/builds";
import { computeComparisonMetrics, type ComparisonMetrics } from "@/lib/analysis/comparison-metrics";
import type { BuildSummaryDto } from "@/lib/types";

export type ComparisonDto = {
  id: string;
  projectId: string;
  projectName: string;
  contextRevision: string | null;
  createdAt: string;
  builds: BuildSummaryDto[];
  metrics: ComparisonMetrics;
};

/** The comparison row only; lib/builds/start-comparison.ts queues its builds. */
export const createComparison = async (input: { projectId: string; contextRevision: string | null }): Promise<{ id: string }> =>
  db.comparison.create({ data: input, select: { id: true } });

export const getComparison = async (id: string, baselineBuildId?: string | null): Promise<ComparisonDto> => {
  const row = await db.comparison.findUnique({ where: { id }, include: { project: { select: { name: true } } } });
  if (!row) throw new AppError("NOT_FOUND", `comparison ${id} not found`);
  const builds = await findBuilds({ comparisonId: id, limit: 100 });
  return {
    id: row.id,
    projectId: row.projectId,
    projectName: row.project.name,
    contextRevision: row.contextRevision,
    createdAt: row.createdAt.toISOString(),
    builds,
    metrics: computeComparisonMetrics(builds, baselineBuildId),
  };
};

export const findComparisons = async (projectId: string, limit = 20) =>
  db.comparison.findMany({ where: { projectId }, orderBy: { createdAt: "desc" }, take: limit, select: { id: true, createdAt: true, contextRevision: true } });
