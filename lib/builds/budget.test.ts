import { describe, expect, it } from "vitest";
import { evaluateBudget } from "./budget";

describe("evaluateBudget", () => {
  it("flags a build over its absolute budget", () => {
    const verdict = evaluateBudget({ size: 400_000_000, sizeBudgetBytes: 350_000_000, regressionThresholdPct: null, previousSize: null });
    expect(verdict.overBudget).toBe(true);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toContain("over the budget");
  });

  it("flags growth beyond the relative threshold only", () => {
    const grew = evaluateBudget({ size: 106, sizeBudgetBytes: null, regressionThresholdPct: 5, previousSize: 100 });
    expect(grew.regression).toBe(true);
    expect(grew.deltaVsPrevious).toBe(6);
    expect(grew.deltaVsPreviousPct).toBeCloseTo(0.06);
    const within = evaluateBudget({ size: 104, sizeBudgetBytes: 200, regressionThresholdPct: 5, previousSize: 100 });
    expect(within.passed).toBe(true);
  });

  it("passes when nothing is configured or the size is unknown", () => {
    expect(evaluateBudget({ size: null, sizeBudgetBytes: 1, regressionThresholdPct: 1, previousSize: 1 }).passed).toBe(true);
  });
});
