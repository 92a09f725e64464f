// Starts a build of one variant: checks the project's context is allowed, records the build
// QUEUED with the variant's settings frozen, and enqueues its job for a worker. Re-run
// (rerunBuild) queues the same frozen settings at the same context revision again.
import "server-only";
import { AppError } from "@/lib/errors";
import { resolveRequestedRef } from "@/lib/builds/git-revision";
import { createQueuedBuild, failUnqueuedBuild } from "@/lib/data/build-status";
import { getVariantRecord } from "@/lib/data/projects";
import { getBuildForRun } from "@/lib/data/builds";
import { getContextArchive } from "@/lib/data/context-archives";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import { enqueueBuildJob } from "@/lib/builds/queue";
import type { BuildSummaryDto } from "@/lib/types";

export type StartBuildOptions = {
  comparisonId?: string;
  contextRevision?: string | null;
  builder?: "BUILDKIT" | "CLASSIC";
  /** Queue priority (issue 15): backfill builds pass BACKFILL_BUILD_PRIORITY; a person's builds keep 0. */
  priority?: number;
  /** An uploaded context (POST /api/context-archives) to build instead of the project's own. */
  archiveId?: string;
  /** A git project's branch, tag or commit to build (the CLI's `--ref`); resolved to a full SHA. */
  ref?: string;
};

/**
 * The uploaded archive a build is frozen to, kept in its settings (`contextArchiveId`): the
 * project's archive for an ARCHIVE project, or the one uploaded for this build (the CLI's
 * checkout). Read by run-build.ts; copied by a re-run, so it builds the same bytes.
 */
export const CONTEXT_ARCHIVE_SETTING = "contextArchiveId";

type QueueInput = Parameters<typeof createQueuedBuild>[0];

const queueBuild = async (input: QueueInput, priority = 0): Promise<BuildSummaryDto> => {
  const build = await createQueuedBuild(input);
  try {
    await enqueueBuildJob(build.id, { priority });
  } catch (error) {
    // The record stays, marked failed, rather than a queued build nobody will run.
    await failUnqueuedBuild(build.id, `could not enqueue: ${String(error)}`);
    throw new AppError("INTERNAL", "the build could not be queued; it is recorded as failed");
  }
  return build;
};

// Plain JSON: sizes are BigInt columns.
const toJson = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v)));

export const startBuild = async (variantId: string, options: StartBuildOptions = {}): Promise<BuildSummaryDto> => {
  const variant = await getVariantRecord(variantId);
  if (variant.archivedAt || variant.project.archivedAt)
    throw new AppError("CONFLICT", `variant ${variant.name} is archived${variant.archivedAt ? "" : " with its project"}: restore it to build it`);
  await assertProjectContextAllowed(variant.project);
  const contextRevision = options.ref ? await resolveRequestedRef(variant.project, options.ref) : options.contextRevision;
  const { id: _id, createdAt: _c, projectId: _p, project, position: _pos, archivedAt: _a, ...variantSettings } = variant;
  const archive = options.archiveId ? await getContextArchive(options.archiveId) : null;
  const archiveId = archive?.id ?? (project.contextKind === "ARCHIVE" ? project.archiveId : null);
  const settings = { ...variantSettings, builder: options.builder ?? variant.builder, ...(archiveId ? { [CONTEXT_ARCHIVE_SETTING]: archiveId } : {}) };
  return queueBuild({
    projectId: variant.projectId,
    variantId: variant.id,
    comparisonId: options.comparisonId ?? null,
    builder: settings.builder,
    // An uploaded archive's revision is its sha256 (as archive-context.ts records it).
    contextRevision: contextRevision ?? (archive ? `sha256:${archive.sha256}` : null),
    settings: toJson(settings),
  }, options.priority);
};

/** What a re-run builds from: git builds their commit, archives their archive, directories what is there now. */
export type RerunSource = "same-commit" | "same-archive" | "directory-now";

/**
 * Re-run: a new build of the same variant with the build's frozen settings (not the variant's
 * current ones) and the same context revision. A GIT build is pinned to its commit, an archive
 * build to its archive; a DIRECTORY context has no stored copy, so it builds the directory as
 * it is now (its revision is recorded anew).
 */
export const rerunBuild = async (buildId: string): Promise<BuildSummaryDto & { source: RerunSource }> => {
  const original = await getBuildForRun(buildId);
  await assertProjectContextAllowed(original.project);
  const settings = (original.settings ?? {}) as Record<string, unknown>;
  const pinnedArchive = typeof settings[CONTEXT_ARCHIVE_SETTING] === "string";
  const isGit = original.project.contextKind === "GIT" && !pinnedArchive;
  if (isGit && !original.contextRevision)
    throw new AppError("CONFLICT", "this build never resolved its commit (it stopped before the clone): start a new build instead");
  const source: RerunSource = pinnedArchive ? "same-archive" : isGit ? "same-commit" : "directory-now";
  const build = await queueBuild({
    projectId: original.projectId,
    variantId: original.variantId,
    comparisonId: null,
    builder: original.builder,
    contextRevision: source === "directory-now" ? null : original.contextRevision,
    settings: toJson(settings),
  });
  return { ...build, source };
};
