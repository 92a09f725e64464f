import { describe, expect, it } from "vitest";
import { computeComparisonPullCost, computePullCost, type PullLayer } from "@/lib/analysis/pull-cost";

const base: PullLayer = { key: "sha256:base", compressedSize: 50_000_000, isFromBase: true };
const shared: PullLayer = { key: "sha256:shared", compressedSize: 2_000_000, isFromBase: false };
const onlyA: PullLayer = { key: "sha256:a", compressedSize: 300_000, isFromBase: false };
const onlyB: PullLayer = { key: "sha256:b", compressedSize: 700_000, isFromBase: false };

describe("computePullCost", () => {
  it("counts each blob once and leaves the base out for a node that has it", () => {
    const cost = computePullCost([base, shared, onlyA, { ...onlyA }], { bandwidthBytesPerSecond: 1_000_000, previous: [base, shared], otherVariants: [[base, shared, onlyB]] });
    expect(cost.compressedTotal).toBe(52_300_000);
    expect(cost.withBaseBytes).toBe(2_300_000);
    expect(cost.sharedWithPreviousBytes).toBe(52_000_000);
    expect(cost.sharedWithOtherVariantsBytes).toBe(52_000_000);
    expect(cost.pullSeconds).toBeCloseTo(52.3);
    expect(cost.withBasePullSeconds).toBeCloseTo(2.3);
  });

  it("has no previous figure for a first build", () => {
    expect(computePullCost([base], { bandwidthBytesPerSecond: 10 }).sharedWithPreviousBytes).toBeNull();
  });
});

describe("computeComparisonPullCost", () => {
  it("prices N variants together against separately", () => {
    const cost = computeComparisonPullCost([
      [base, shared, onlyA],
      [base, shared, onlyB],
    ]);
    expect(cost.separateBytes).toBe(2 * 52_000_000 + 300_000 + 700_000);
    expect(cost.togetherBytes).toBe(52_000_000 + 300_000 + 700_000);
    expect(cost.separateWithBaseBytes).toBe(2 * 2_000_000 + 1_000_000);
    expect(cost.togetherWithBaseBytes).toBe(3_000_000);
    expect(cost.sequentialWithBaseBytes).toEqual([2_300_000, 700_000]);
  });
});
