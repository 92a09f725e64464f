// Commits of git projects (issue 15): subject, author, date and first parent, as read from the
// clone by the pipeline or a backfill. Keyed by (projectId, sha); builds link by contextRevision.
import "server-only";
import { db } from "@/lib/db";
import type { CommitInfo } from "@/lib/builds/context/git-commit-format";

export type CommitDto = CommitInfo;

const toData = (projectId: string, commit: CommitInfo) => ({
  projectId,
  sha: commit.sha,
  parentSha: commit.parentSha,
  subject: commit.subject,
  authorName: commit.authorName,
  authorEmail: commit.authorEmail,
  authoredAt: new Date(commit.authoredAt),
});

/** Inserts or refreshes one commit (the clone is the source of truth). */
export const saveCommit = async (projectId: string, commit: CommitInfo): Promise<void> => {
  const data = toData(projectId, commit);
  await db.commit.upsert({ where: { projectId_sha: { projectId, sha: commit.sha } }, create: data, update: data });
};

/** Inserts the commits not stored yet (a backfill's list); existing rows are kept. */
export const saveCommits = async (projectId: string, commits: CommitInfo[]): Promise<void> => {
  if (!commits.length) return;
  await db.commit.createMany({ data: commits.map((c) => toData(projectId, c)), skipDuplicates: true });
};

const toDto = (row: { sha: string; parentSha: string | null; subject: string; authorName: string; authorEmail: string; authoredAt: Date }): CommitDto => ({
  sha: row.sha,
  parentSha: row.parentSha,
  subject: row.subject,
  authorName: row.authorName,
  authorEmail: row.authorEmail,
  authoredAt: row.authoredAt.toISOString(),
});

/** The stored commits of a project, newest authored first, at most `limit` (bounded to 2000). */
export const findCommits = async (projectId: string, options: { shas?: string[]; limit?: number } = {}): Promise<CommitDto[]> => {
  const rows = await db.commit.findMany({
    where: { projectId, sha: options.shas ? { in: options.shas } : undefined },
    orderBy: { authoredAt: "desc" },
    take: Math.max(1, Math.min(options.limit ?? 500, 2000)),
  });
  return rows.map(toDto);
};
