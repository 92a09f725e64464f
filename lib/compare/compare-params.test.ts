import { describe, expect, it } from "vitest";
import { buildCompareHref, chooseDiffPair, parseCompareParams } from "@/lib/compare/compare-params";
import { shapeSizeComparison } from "@/lib/compare/shape-size-comparison";
import type { BuildSummaryDto } from "@/lib/types";

describe("parseCompareParams", () => {
  it("reads a comparison, a baseline and a diff pair", () => {
    expect(parseCompareParams({ comparison: "c1", baseline: "b1", diff: "b1,b2" })).toEqual({
      comparisonId: "c1",
      buildIds: [],
      baselineId: "b1",
      diff: ["b1", "b2"],
      projectId: null,
    });
  });

  it("accepts picked builds as a list or repeated params and caps them", () => {
    expect(parseCompareParams({ builds: ["a", "b,c"] }).buildIds).toEqual(["a", "b", "c"]);
    expect(parseCompareParams({ builds: "1,2,3,4,5,6,7,8,9,10" }).buildIds).toHaveLength(8);
  });

  it("drops invalid ids and a diff of one build with itself", () => {
    expect(parseCompareParams({ comparison: "<script>", diff: "a,a", builds: "ok,no way" })).toMatchObject({ comparisonId: null, diff: null, buildIds: ["ok"] });
  });
});

describe("buildCompareHref", () => {
  it("keeps the comparison and changes one param", () => {
    const params = parseCompareParams({ comparison: "c1" });
    expect(buildCompareHref(params, { baselineId: "b2" })).toBe("/compare?comparison=c1&baseline=b2");
    expect(buildCompareHref(parseCompareParams({ builds: "a,b" }), { diff: ["b", "a"] })).toBe("/compare?builds=a,b&diff=b,a");
    expect(buildCompareHref(parseCompareParams({}))).toBe("/compare");
  });
});

describe("chooseDiffPair", () => {
  it("uses the requested pair only when both builds are shown", () => {
    expect(chooseDiffPair(["b", "c"], ["a", "b", "c"])).toEqual(["b", "c"]);
    expect(chooseDiffPair(["b", "x"], ["a", "b", "c"])).toEqual(["a", "b"]);
    expect(chooseDiffPair(null, ["a"])).toBeNull();
  });
});

describe("shapeSizeComparison", () => {
  const build = (extra: Partial<BuildSummaryDto>) => ({ id: "b", variantName: "v", strategy: "MULTI_STAGE", totalSize: 300, baseSize: 100, buildImageSize: null, runs: true, ...extra }) as BuildSummaryDto;
  it("splits each size into base and own layers and skips builds without a size", () => {
    expect(shapeSizeComparison([build({}), build({ id: "x", totalSize: null })])).toEqual([
      { buildId: "b", label: "v", strategy: "MULTI_STAGE", base: 100, own: 200, total: 300, buildImageSize: null, runs: true },
    ]);
    expect(shapeSizeComparison([build({ baseSize: null })])[0]).toMatchObject({ base: 0, own: 300 });
  });
});
