// Starts a comparison: every variant of a project queued together at one context revision.
import "server-only";
import { AppError } from "@/lib/errors";
import { createComparison, getComparison, type ComparisonDto } from "@/lib/data/comparisons";
import { getProjectRecord } from "@/lib/data/projects";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import { resolveRequestedRef } from "@/lib/builds/git-revision";
import { startBuild } from "@/lib/builds/start-build";

export interface StartComparisonOptions {
  /** Git projects: the ref or commit to build (default: the project's ref). Resolved to a full SHA. */
  ref?: string;
}

export const startComparison = async (projectIdOrSlug: string, options: StartComparisonOptions = {}): Promise<ComparisonDto> => {
  // Archived variants are left out by getProjectRecord (issue 13); an archived project builds nothing.
  const project = await getProjectRecord(projectIdOrSlug);
  if (project.archivedAt) throw new AppError("CONFLICT", `project ${project.name} is archived: restore it to compare its variants`);
  if (!project.variants.length) throw new AppError("VALIDATION", `project ${project.name} has no variants to compare`);
  await assertProjectContextAllowed(project);
  // Git projects are pinned to one commit so every variant builds the same source.
  const ref = options.ref ?? (project.contextKind === "GIT" ? (project.gitRef ?? "HEAD") : null);
  const contextRevision = ref ? await resolveRequestedRef(project, ref) : null;
  const comparison = await createComparison({ projectId: project.id, contextRevision });
  for (const variant of project.variants) await startBuild(variant.id, { comparisonId: comparison.id, contextRevision });
  return getComparison(comparison.id);
};
