import { describe, expect, it } from "vitest";
import { computeComparisonMetrics } from "./comparison-metrics";
import type { BuildSummaryDto } from "@/lib/types";

const build = (id: string, strategy: BuildSummaryDto["strategy"], totalSize: number | null, status: BuildSummaryDto["status"] = "SUCCEEDED") =>
  ({ id, strategy, totalSize, status, variantName: strategy.toLowerCase() }) as BuildSummaryDto;

describe("computeComparisonMetrics", () => {
  it("measures every variant against the single-stage build and marks the smallest", () => {
    const metrics = computeComparisonMetrics([build("c", "VENV_COPIES", 241), build("s", "SINGLE_STAGE", 799), build("m", "MULTI_STAGE", 354)]);
    expect(metrics.rows.map((r) => r.build.id)).toEqual(["s", "m", "c"]);
    expect(metrics.baselineBuildId).toBe("s");
    expect(metrics.rows[1].deltaBytes).toBe(-445);
    expect(metrics.rows[1].deltaPct).toBeCloseTo(-445 / 799);
    expect(metrics.rows.find((r) => r.isSmallest)?.build.id).toBe("c");
    expect(metrics.done).toBe(true);
  });

  it("honours a chosen baseline and is not done while a build runs", () => {
    const metrics = computeComparisonMetrics([build("s", "SINGLE_STAGE", 799), build("m", "MULTI_STAGE", null, "RUNNING")], "s");
    expect(metrics.done).toBe(false);
    expect(metrics.rows[1].deltaBytes).toBeNull();
  });
});
