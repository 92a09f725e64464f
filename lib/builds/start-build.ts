// Starts a build of one variant: checks the project's context is allowed, records the build
// QUEUED with the variant's settings frozen, and enqueues its job for a worker.
import "server-only";
import { AppError } from "@/lib/errors";
import { createQueuedBuild, failUnqueuedBuild } from "@/lib/data/build-status";
import { getVariantRecord } from "@/lib/data/projects";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import { enqueueBuildJob } from "@/lib/builds/queue";
import type { BuildSummaryDto } from "@/lib/types";

export type StartBuildOptions = { comparisonId?: string; contextRevision?: string | null; builder?: "BUILDKIT" | "CLASSIC" };

export const startBuild = async (variantId: string, options: StartBuildOptions = {}): Promise<BuildSummaryDto> => {
  const variant = await getVariantRecord(variantId);
  if (variant.archivedAt || variant.project.archivedAt)
    throw new AppError("CONFLICT", `variant ${variant.name} is archived${variant.archivedAt ? "" : " with its project"}: restore it to build it`);
  await assertProjectContextAllowed(variant.project);
  const { id: _id, createdAt: _c, projectId: _p, project: _project, position: _pos, archivedAt: _a, ...variantSettings } = variant;
  const settings = { ...variantSettings, builder: options.builder ?? variant.builder };
  const build = await createQueuedBuild({
    projectId: variant.projectId,
    variantId: variant.id,
    comparisonId: options.comparisonId ?? null,
    builder: settings.builder,
    contextRevision: options.contextRevision ?? null,
    // Plain JSON: sizes are BigInt columns.
    settings: JSON.parse(JSON.stringify(settings, (_k, v) => (typeof v === "bigint" ? Number(v) : v))),
  });
  try {
    await enqueueBuildJob(build.id);
  } catch (error) {
    // The record stays, marked failed, rather than a queued build nobody will run.
    await failUnqueuedBuild(build.id, `could not enqueue: ${String(error)}`);
    throw new AppError("INTERNAL", "the build could not be queued; it is recorded as failed");
  }
  return build;
};
