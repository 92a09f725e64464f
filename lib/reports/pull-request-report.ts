// Pure: the pull-request view of two commits (issue 15 item 5): per variant the base and head
// builds, size and delta, whether each image runs, the budget verdict, the largest layer
// differences, and whether the head brings a *new* problem (exit code 1 in the CLI): over the
// size budget, grown past the variant's regression threshold, or runs on base but not on head
// (or no longer builds). A problem the base already had is reported, not failed.
import { evaluateBudget } from "@/lib/builds/budget";
import { diffLayers, type LayerDiffRow } from "@/lib/builds/layer-diff";
import type { BuildDetailDto, BuildStatus } from "@/lib/types";
import { isFinished } from "@/lib/types";
import { formatBytes } from "@/lib/format/bytes";

export const PULL_REQUEST_SCHEMA = "layerboard.pull-request/v1";
/** Layer differences listed per variant, largest |delta| first. */
export const TOP_LAYER_CHANGES = 5;

export type PullRequestSide = { ref: string; sha: string };

export type PullRequestBuild = { buildId: string; status: BuildStatus; size: number | null; runs: boolean | null; error: string | null };

export type PullRequestRow = {
  variantId: string;
  variant: string;
  sizeBudgetBytes: number | null;
  regressionThresholdPct: number | null;
  base: PullRequestBuild | null;
  head: PullRequestBuild | null;
  deltaBytes: number | null;
  // +5.2 means +5.2 %
  deltaPercent: number | null;
  overBudget: boolean;
  regression: boolean;
  // runs on base, not on head; or built on base and not on head
  newlyBroken: boolean;
  done: boolean;
  // "pending" until both builds finished
  verdict: "ok" | "fail" | "pending";
  // the reasons for "fail"
  problems: string[];
  // what is wrong but not new (the base had it too)
  notes: string[];
  layerChanges: LayerDiffRow[];
};

export type PullRequestReport = {
  schema: typeof PULL_REQUEST_SCHEMA;
  project: { id: string; slug: string; name: string };
  base: PullRequestSide;
  head: PullRequestSide;
  generatedAt: string;
  done: boolean;
  // done and some variant failed
  failed: boolean;
  rows: PullRequestRow[];
};

export type PullRequestVariantInput = {
  variantId: string;
  name: string;
  sizeBudgetBytes: number | null;
  regressionThresholdPct: number | null;
  base: BuildDetailDto | null;
  head: BuildDetailDto | null;
};

const toSide = (build: BuildDetailDto | null): PullRequestBuild | null =>
  build && { buildId: build.id, status: build.status, size: build.status === "SUCCEEDED" ? build.totalSize : null, runs: build.status === "SUCCEEDED" ? build.runs : null, error: build.error };

const toRow = (input: PullRequestVariantInput): PullRequestRow => {
  const base = toSide(input.base);
  const head = toSide(input.head);
  const done = !!base && !!head && isFinished(base.status) && isFinished(head.status);
  const deltaBytes = base?.size != null && head?.size != null ? head.size - base.size : null;
  const deltaPercent = deltaBytes !== null && base?.size ? (deltaBytes / base.size) * 100 : null;
  const budget = evaluateBudget({ size: head?.size ?? null, sizeBudgetBytes: input.sizeBudgetBytes, regressionThresholdPct: input.regressionThresholdPct, previousSize: base?.size ?? null });
  const baseBuilt = base?.status === "SUCCEEDED";
  const headBuilt = head?.status === "SUCCEEDED";
  const notBuilt = done && baseBuilt && !headBuilt;
  const stoppedRunning = done && headBuilt && base?.runs === true && head?.runs === false;
  const problems: string[] = [];
  const notes: string[] = [];
  if (notBuilt) problems.push(`does not build on head (${head!.status.toLowerCase()}${head!.error ? `: ${head!.error}` : ""})`);
  if (stoppedRunning) problems.push("runs on base, does not run on head");
  if (budget.overBudget) problems.push(`${formatBytes(head!.size)}, over the size budget of ${formatBytes(input.sizeBudgetBytes)} by ${formatBytes(head!.size! - input.sizeBudgetBytes!)}`);
  if (budget.regression) problems.push(`grew ${deltaPercent!.toFixed(1)} % (threshold ${input.regressionThresholdPct} %)`);
  if (done && !baseBuilt && !headBuilt) notes.push("does not build on head, nor on base");
  else if (done && headBuilt && head!.runs === false && !stoppedRunning) notes.push("does not run on head, nor on base");
  else if (done && !baseBuilt && headBuilt) notes.push("base did not build: nothing to compare against");
  const layerChanges =
    input.base?.status === "SUCCEEDED" && input.head?.status === "SUCCEEDED"
      ? diffLayers(input.base.layers, input.head.layers)
          .rows.filter((row) => row.kind !== "unchanged")
          .sort((x, y) => Math.abs(y.deltaBytes) - Math.abs(x.deltaBytes))
          .slice(0, TOP_LAYER_CHANGES)
      : [];
  return {
    variantId: input.variantId,
    variant: input.name,
    sizeBudgetBytes: input.sizeBudgetBytes,
    regressionThresholdPct: input.regressionThresholdPct,
    base,
    head,
    deltaBytes,
    deltaPercent,
    overBudget: budget.overBudget,
    regression: budget.regression,
    newlyBroken: notBuilt || stoppedRunning,
    done,
    verdict: !done ? "pending" : problems.length ? "fail" : "ok",
    problems,
    notes,
    layerChanges,
  };
};

export const assemblePullRequestReport = (input: {
  project: PullRequestReport["project"];
  base: PullRequestSide;
  head: PullRequestSide;
  generatedAt: string;
  variants: PullRequestVariantInput[];
}): PullRequestReport => {
  const rows = input.variants.map(toRow);
  const done = rows.length > 0 && rows.every((row) => row.done);
  return { schema: PULL_REQUEST_SCHEMA, project: input.project, base: input.base, head: input.head, generatedAt: input.generatedAt, done, failed: done && rows.some((row) => row.verdict === "fail"), rows };
};
