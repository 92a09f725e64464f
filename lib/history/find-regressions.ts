// Regressions, named (issue 15): per variant, along the first-parent chain, a commit whose
// image grew by more than the variant's threshold against its parent's build, or the first
// commit at which the image stopped running after it ran. A later commit back under the
// threshold (or running again) resolves it. Pure: computed from data read in lib/data.
import type { BuildStatus } from "@/lib/types";
import type { OrderedCommit } from "@/lib/history/commit-order";

/** The regression threshold of a variant whose regressionThresholdPct is null (docs/backfill.md). */
export const DEFAULT_REGRESSION_THRESHOLD_PCT = 10;

export type CommitBuild = {
  buildId: string;
  variantId: string;
  sha: string;
  status: BuildStatus;
  totalSize: number | null;
  runs: boolean | null;
  finishedAt: string;
  comparisonId?: string | null;
};

export type RegressionVariant = { id: string; name: string; regressionThresholdPct: number | null };

export type RegressionKind = "size" | "stopped-running";

export type Regression = {
  kind: RegressionKind;
  variantId: string;
  /** The commit that made it worse, and its build. */
  sha: string;
  buildId: string;
  /** What it is compared with: the first parent's build (or, when the parent has no build, the nearest built ancestor). */
  baseSha: string;
  baseBuildId: string;
  sizeBefore: number | null;
  sizeAfter: number | null;
  deltaBytes: number | null;
  deltaPct: number | null;
  thresholdPct: number;
  resolvedBy: { sha: string; buildId: string } | null;
};

const thresholdOf = (variant: RegressionVariant) => variant.regressionThresholdPct ?? DEFAULT_REGRESSION_THRESHOLD_PCT;

/** The build that speaks for a variant at a commit: the latest succeeded one, else the latest of any outcome. */
export const pickCommitBuilds = (builds: CommitBuild[]): Map<string, Map<string, CommitBuild>> => {
  const byVariant = new Map<string, Map<string, CommitBuild>>();
  const rank = (b: CommitBuild) => (b.status === "SUCCEEDED" ? 1 : 0);
  for (const build of builds) {
    const perSha = byVariant.get(build.variantId) ?? new Map<string, CommitBuild>();
    const current = perSha.get(build.sha);
    if (!current || rank(build) > rank(current) || (rank(build) === rank(current) && Date.parse(build.finishedAt) > Date.parse(current.finishedAt)))
      perSha.set(build.sha, build);
    byVariant.set(build.variantId, perSha);
  }
  return byVariant;
};

const succeeded = (b: CommitBuild | undefined): b is CommitBuild & { totalSize: number } => b?.status === "SUCCEEDED" && b.totalSize !== null;

/** `commits` in first-parent order, oldest first (orderFirstParent). Regressions oldest first. */
export const findRegressions = (commits: OrderedCommit[], builds: CommitBuild[], variants: RegressionVariant[]): Regression[] => {
  const picked = pickCommitBuilds(builds);
  const found: Regression[] = [];
  for (const variant of variants) {
    const perSha = picked.get(variant.id);
    if (!perSha) continue;
    const threshold = thresholdOf(variant);
    let base: (CommitBuild & { totalSize: number }) | null = null;
    let lastRun: CommitBuild | null = null;
    const openSize: Regression[] = [];
    let openRun: Regression | null = null;
    for (const commit of commits) {
      const build = perSha.get(commit.sha);
      if (!succeeded(build)) continue;
      if (base) {
        const delta = build.totalSize - base.totalSize;
        const pct = base.totalSize > 0 ? (delta / base.totalSize) * 100 : 0;
        // Resolved: back within the threshold of the size before the regression.
        for (const open of openSize.splice(0)) {
          if (build.totalSize <= open.sizeBefore! * (1 + open.thresholdPct / 100)) open.resolvedBy = { sha: commit.sha, buildId: build.buildId };
          else openSize.push(open);
        }
        if (pct > threshold) {
          const regression: Regression = {
            kind: "size",
            variantId: variant.id,
            sha: commit.sha,
            buildId: build.buildId,
            baseSha: base.sha,
            baseBuildId: base.buildId,
            sizeBefore: base.totalSize,
            sizeAfter: build.totalSize,
            deltaBytes: delta,
            deltaPct: pct,
            thresholdPct: threshold,
            resolvedBy: null,
          };
          found.push(regression);
          openSize.push(regression);
        }
      }
      if (build.runs !== null) {
        if (build.runs === false && lastRun?.runs === true && !openRun) {
          openRun = {
            kind: "stopped-running",
            variantId: variant.id,
            sha: commit.sha,
            buildId: build.buildId,
            baseSha: lastRun.sha,
            baseBuildId: lastRun.buildId,
            sizeBefore: lastRun.totalSize,
            sizeAfter: build.totalSize,
            deltaBytes: lastRun.totalSize === null ? null : build.totalSize - lastRun.totalSize,
            deltaPct: null,
            thresholdPct: threshold,
            resolvedBy: null,
          };
          found.push(openRun);
        } else if (build.runs === true && openRun) {
          openRun.resolvedBy = { sha: commit.sha, buildId: build.buildId };
          openRun = null;
        }
        lastRun = build;
      }
      base = build;
    }
  }
  const position = new Map(commits.map((c, i) => [c.sha, i]));
  const variantOrder = new Map(variants.map((v, i) => [v.id, i]));
  return found.sort((a, b) => position.get(a.sha)! - position.get(b.sha)! || variantOrder.get(a.variantId)! - variantOrder.get(b.variantId)!);
};
