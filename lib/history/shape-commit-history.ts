// The project history with commits as the x-axis (issue 15): one row per commit in
// first-parent order, one column per variant (size or duration), the commit's short SHA,
// subject, author and date for the tooltip, and the regression markers. Pure.
import { flagPoint, seriesKey, type HistoryMetric, type HistoryVariant, type PointMeta } from "@/lib/history/shape-size-history";
import { pickCommitBuilds, type CommitBuild, type Regression, type RegressionKind } from "@/lib/history/find-regressions";
import type { OrderedCommit } from "@/lib/history/commit-order";

export type CommitPointMeta = PointMeta & { regression: RegressionKind | null; resolves: RegressionKind | null };

export type CommitRowInfo = { sha: string; shortSha: string; subject: string; authorName: string; authoredAt: string; comparisonId: string | null };

export type CommitHistoryRow = { index: number; commit: CommitRowInfo; meta: Record<string, CommitPointMeta> } & Record<string, number | null | CommitRowInfo | Record<string, CommitPointMeta>>;

export const shapeCommitHistory = (
  commits: OrderedCommit[],
  builds: CommitBuild[],
  variants: HistoryVariant[],
  regressions: Regression[],
  metric: HistoryMetric,
): CommitHistoryRow[] => {
  const picked = pickCommitBuilds(builds.filter((b) => variants.some((v) => v.id === b.variantId)));
  const marks = new Map(regressions.map((r) => [`${r.variantId} ${r.sha}`, r.kind]));
  const fixes = new Map(regressions.filter((r) => r.resolvedBy).map((r) => [`${r.variantId} ${r.resolvedBy!.sha}`, r.kind]));
  const lastKnown = new Map<string, number>();
  const rows: CommitHistoryRow[] = [];
  commits.forEach((commit, index) => {
    const comparisonId = variants.map((v) => picked.get(v.id)?.get(commit.sha)?.comparisonId).find(Boolean) ?? null;
    const row = {
      index,
      commit: { sha: commit.sha, shortSha: commit.sha.slice(0, 7), subject: commit.subject, authorName: commit.authorName, authoredAt: commit.authoredAt, comparisonId },
      meta: {},
    } as CommitHistoryRow;
    for (const variant of variants) {
      const build = picked.get(variant.id)?.get(commit.sha);
      if (!build) continue;
      const key = seriesKey(variant.id);
      const measured = metric === "size" ? build.totalSize : null;
      if (measured !== null) lastKnown.set(key, measured);
      row[key] = measured ?? lastKnown.get(key) ?? null;
      const point = { ...build, finishedAt: build.finishedAt, durationMs: null, contextRevision: build.sha };
      row.meta[key] = {
        buildId: build.buildId,
        variantId: variant.id,
        status: build.status,
        flag: flagPoint(point, metric === "size" ? variant.sizeBudgetBytes : null),
        measured,
        runs: build.runs,
        contextRevision: build.sha,
        regression: marks.get(`${variant.id} ${commit.sha}`) ?? null,
        resolves: fixes.get(`${variant.id} ${commit.sha}`) ?? null,
      };
    }
    rows.push(row);
  });
  return rows;
};

/** Where a click on a commit goes: the comparison of its variants, else the build. */
export const commitHref = (row: Pick<CommitHistoryRow, "commit" | "meta">): string | null => {
  if (row.commit.comparisonId) return `/compare?comparison=${row.commit.comparisonId}`;
  const meta = Object.values(row.meta)[0];
  return meta ? `/builds/${meta.buildId}` : null;
};
