// Builds of a project at given commits (issue 15: the pull-request report reuses them).
import "server-only";
import { db } from "@/lib/db";
import type { BuildStatus } from "@/lib/types";

export type RevisionBuildRow = { id: string; variantId: string; status: BuildStatus; settings: Record<string, unknown>; contextRevision: string; queuedAt: Date };

/** Newest first, at most `limit` (a commit has a handful of builds per variant, not thousands). */
export const findBuildsAtRevisions = async (projectId: string, revisions: string[], limit = 500): Promise<RevisionBuildRow[]> =>
  (
    await db.build.findMany({
      where: { projectId, contextRevision: { in: revisions } },
      orderBy: { queuedAt: "desc" },
      take: limit,
      select: { id: true, variantId: true, status: true, settings: true, contextRevision: true, queuedAt: true },
    })
  ).map((row) => ({ ...row, settings: (row.settings ?? {}) as Record<string, unknown>, contextRevision: row.contextRevision! }));
