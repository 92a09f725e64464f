// Starts a backfill of a git project ("build the last N commits of <branch>") and carries a
// person's pause / resume / cancel to it. The commits are listed and built by the workers
// (backfill-work.ts); this only checks the input and records the request.
import "server-only";
import { AppError } from "@/lib/errors";
import { changeBackfillStatus, createBackfill, getBackfill, type BackfillDetailDto } from "@/lib/data/backfills";
import { getProjectRecord } from "@/lib/data/projects";
import { requestBuildCancel } from "@/lib/data/build-status";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import { assertGitRef } from "@/lib/builds/context/git-context";
import type { BackfillInput, BackfillChange } from "@/lib/validations/backfill";

export const startBackfill = async (projectIdOrSlug: string, input: BackfillInput, createdById: string | null): Promise<BackfillDetailDto> => {
  const project = await getProjectRecord(projectIdOrSlug);
  if (project.contextKind !== "GIT") throw new AppError("VALIDATION", "branch: only a git project can be backfilled");
  await assertProjectContextAllowed(project);
  if (!project.variants.length) throw new AppError("VALIDATION", `project ${project.name} has no variants to build`);
  const branch = input.branch ?? project.gitRef ?? "main";
  try {
    assertGitRef(branch);
  } catch {
    throw new AppError("VALIDATION", `branch: ${JSON.stringify(branch)} is not a branch name`);
  }
  const backfill = await createBackfill({ projectId: project.id, branch, count: input.count, createdById });
  return getBackfill(backfill.id);
};

export const changeBackfill = async (id: string, change: BackfillChange): Promise<BackfillDetailDto> => {
  const to = change.action === "pause" ? "PAUSED" : change.action === "resume" ? "RUNNING" : "CANCELLED";
  const { buildIds } = await changeBackfillStatus(id, to);
  for (const buildId of buildIds) await requestBuildCancel(buildId).catch(() => undefined);
  return getBackfill(id);
};
