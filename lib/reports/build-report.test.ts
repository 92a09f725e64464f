import { describe, expect, it } from "vitest";
import { createFixtureReport, HOSTILE_VARIANT } from "./__fixtures__/report";
import { computeReportVerdict } from "./report-verdict";

describe("assembleReport", () => {
  const report = createFixtureReport();
  const row = (variant: string) => report.rows.find((r) => r.variant === variant)!;

  it("computes deltas against the baseline and the previous successful build", () => {
    expect(row("single-stage").isBaseline).toBe(true);
    expect(row("multi-stage").deltaVsBaseline.bytes).toBe(354_000_000 - 799_000_000);
    expect(row("multi-stage").deltaVsBaseline.percent).toBeCloseTo(-55.694, 2);
    expect(row("multi-stage").deltaVsPrevious).toEqual({ bytes: 14_000_000, percent: (14 / 340) * 100 });
    expect(row("single-stage").deltaVsPrevious).toEqual({ bytes: null, percent: null });
    expect(row("multi-stage").ownSize).toBe(155_000_000);
  });

  it("judges each build against its variant's budget with readable messages", () => {
    const multi = row("multi-stage").budget;
    expect(multi).toMatchObject({ evaluated: true, overBudget: true, regression: true, passed: false });
    expect(multi.messages).toEqual(["354.0 MB is over the budget of 300.0 MB (by 54.0 MB)", "grew +4.1 % vs the previous successful build (threshold 2 %)"]);
    expect(row("venv --copies").budget.passed).toBe(true);
    // a failed build has no size to judge
    expect(row(HOSTILE_VARIANT).budget).toMatchObject({ evaluated: false, passed: true });
    expect(report.budget.passed).toBe(false);
    expect(report.budget.messages[0]).toBe("multi-stage: 354.0 MB is over the budget of 300.0 MB (by 54.0 MB)");
  });

  it("records why an image does not run (the loader's line) and marks the smallest image that runs", () => {
    expect(row("venv --copies").runs).toBe(false);
    expect(row("venv --copies").smokeError).toBe("exit code 127: /opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory");
    // --copies is the smallest image but does not start: the smallest that runs is the 300 MB one
    expect(row("venv --copies").isSmallest).toBe(false);
    expect(row("custom, quoted").isSmallest).toBe(true);
    expect(report.rows.filter((r) => r.isSmallest)).toHaveLength(1);
    expect(report.smallestThatRuns).toEqual({ buildId: "b-custom-ok", variant: "custom, quoted", size: 300_000_000 });
  });

  it("diffs each image's layers against the baseline's", () => {
    const multi = report.layerDiffs.find((d) => d.variant === "multi-stage")!;
    expect(multi).toMatchObject({ baselineBuildId: "b-single", baselineVariant: "single-stage", added: 2, removed: 2, unchanged: 1 });
    expect(multi.deltaBytes).toBe(354_000_000 - 799_000_000);
    expect(multi.changes[0]).toMatchObject({ kind: "removed", instruction: "RUN apt-get update && apt-get install -y build-essential python3-dev", deltaBytes: -560_000_000 });
    expect(report.layerDiffs.map((d) => d.variant)).not.toContain("single-stage");
    // the failed build has no layers to diff
    expect(report.layerDiffs.map((d) => d.buildId)).not.toContain("b-custom");
  });

  it("lists the largest own layers per build, never base layers", () => {
    expect(report.topLayers.some((l) => l.isFromBase)).toBe(false);
    const single = report.topLayers.filter((l) => l.buildId === "b-single");
    expect(single.map((l) => l.size)).toEqual([560_000_000, 40_000_000]);
    expect(single[0].percentOfImage).toBeCloseTo(70.09, 1);
    expect(report.layers.filter((l) => l.buildId === "b-single")).toHaveLength(3);
  });

  it("carries advice with the variant it belongs to and a dashboard path", () => {
    expect(report.advice).toHaveLength(1);
    expect(report.advice[0]).toMatchObject({ variant: "venv --copies", code: "APT_LISTS_LEFT", bytesAtStake: 20_000_000 });
    expect(report.dashboardPath).toBe("/compare?comparison=cmp1");
    expect(report.title).toBe("Python C-extension example · comparison of 5 variants");
  });
});

describe("computeReportVerdict", () => {
  it("does not pass a comparison with a failed build or an image that does not run", () => {
    const verdict = computeReportVerdict(createFixtureReport());
    expect(verdict).toMatchObject({ done: true, passed: false, healthy: false, budgetPassed: false, status: "FAILED", runs: false });
    expect(verdict.messages).toContain("venv --copies: the image does not run (exit code 127: /opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory)");
    expect(verdict.messages.some((m) => m.includes("build failed"))).toBe(true);
  });

  it("passes a healthy build within budget and waits for unfinished ones", () => {
    const report = createFixtureReport();
    const healthy = { ...report, rows: report.rows.filter((r) => r.variant === "single-stage"), budget: { passed: true, messages: [] } };
    expect(computeReportVerdict(healthy)).toMatchObject({ passed: true, healthy: true, status: "SUCCEEDED", runs: true, messages: [] });
    const running = { ...healthy, done: false, rows: [{ ...healthy.rows[0], status: "RUNNING" as const, runs: null }] };
    expect(computeReportVerdict(running)).toMatchObject({ done: false, passed: false, status: "RUNNING", runs: null });
  });

  it("keeps budget and health apart so CI can fail on either", () => {
    const report = createFixtureReport();
    const overBudgetOnly = { ...report, rows: report.rows.filter((r) => r.variant === "multi-stage") };
    expect(computeReportVerdict(overBudgetOnly)).toMatchObject({ healthy: true, budgetPassed: false, passed: false });
  });
});
