import { describe, expect, it } from "vitest";
import { commitHref, shapeCommitHistory } from "./shape-commit-history";
import { findRegressions, type CommitBuild } from "./find-regressions";
import { parseHistoryAxis, axisQuery } from "./history-axis";
import { buildHistoryQuery } from "./history-params";
import type { OrderedCommit } from "./commit-order";

const sha = (n: number) => n.toString(16).padStart(40, "a");
const commits: OrderedCommit[] = [1, 2, 3, 4].map((n) => ({ sha: sha(n), parentSha: n > 1 ? sha(n - 1) : null, subject: `commit ${n}`, authorName: "Ada", authoredAt: `2026-11-0${n}T10:00:00.000Z` }));
const SIZES = [100_000_000, 100_000_100, 120_000_000, null];
const builds: CommitBuild[] = SIZES.map((size, i) => ({
  buildId: `b${i + 1}`,
  variantId: "v1",
  sha: sha(i + 1),
  status: size === null ? "FAILED" : "SUCCEEDED",
  totalSize: size,
  runs: size === null ? null : true,
  finishedAt: `2026-11-02T10:0${i}:00.000Z`,
  comparisonId: i === 0 ? "cmp1" : null,
}));
const variants = [{ id: "v1", name: "app", strategy: "CUSTOM" as const, sizeBudgetBytes: null }];

describe("shapeCommitHistory", () => {
  const regressions = findRegressions(commits, builds, [{ id: "v1", name: "app", regressionThresholdPct: 5 }]);
  const rows = shapeCommitHistory(commits, builds, variants, regressions, "size");

  it("draws one row per commit in first-parent order with the commit for the tooltip", () => {
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(rows[2].commit).toEqual({ sha: sha(3), shortSha: sha(3).slice(0, 7), subject: "commit 3", authorName: "Ada", authoredAt: "2026-11-03T10:00:00.000Z", comparisonId: null });
    expect(rows[1].v_v1).toBe(100_000_100);
  });

  it("marks the regression and draws a failed build at the last known size", () => {
    expect(rows.map((r) => r.meta.v_v1.regression)).toEqual([null, null, "size", null]);
    expect(rows[3].meta.v_v1.flag).toBe("failed");
    expect(rows[3].v_v1).toBe(120_000_000);
    expect(rows[3].meta.v_v1.measured).toBeNull();
  });

  it("opens the comparison at a commit, else its build", () => {
    expect(commitHref(rows[0])).toBe("/compare?comparison=cmp1");
    expect(commitHref(rows[2])).toBe("/builds/b3");
  });
});

describe("history axis param", () => {
  it("reads commits or falls back to time, and keeps the default out of the URL", () => {
    expect(parseHistoryAxis("commits")).toBe("commits");
    expect(parseHistoryAxis(["bogus"])).toBe("time");
    expect(parseHistoryAxis(undefined)).toBe("time");
    expect(buildHistoryQuery({ range: "7d", variantIds: null }, axisQuery("commits"))).toBe("?range=7d&axis=commits");
    expect(buildHistoryQuery({ range: "30d", variantIds: null }, axisQuery("time"))).toBe("");
  });
});
