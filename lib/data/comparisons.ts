// Comparisons: every variant of a project queued together at one context revision.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createBuild, findBuilds } from "@/lib/data/builds";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import { resolveGitRevision } from "@/lib/builds/git-revision";
import { computeComparisonMetrics, type ComparisonMetrics } from "@/lib/builds/comparison-metrics";
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

export const createComparison = async (projectId: string): Promise<ComparisonDto> => {
  const project = await db.project.findFirst({ where: { OR: [{ id: projectId }, { slug: projectId }] }, include: { variants: { orderBy: { position: "asc" } } } });
  if (!project) throw new AppError("NOT_FOUND", `project ${projectId} not found`);
  if (!project.variants.length) throw new AppError("VALIDATION", `project ${project.name} has no variants to compare`);
  await assertProjectContextAllowed(project);
  // Git projects are pinned to one commit so every variant builds the same source.
  const contextRevision = project.contextKind === "GIT" ? await resolveGitRevision(project.gitUrl!, project.gitRef ?? "HEAD") : null;
  const comparison = await db.comparison.create({ data: { projectId: project.id, contextRevision } });
  for (const variant of project.variants) await createBuild(variant.id, { comparisonId: comparison.id, contextRevision });
  return getComparison(comparison.id);
};

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
