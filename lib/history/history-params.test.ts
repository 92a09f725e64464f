import { describe, expect, it } from "vitest";
import { buildHistoryQuery, parseHistoryParams, rangeStart, splitListParam, toggleVariant } from "@/lib/history/history-params";

describe("parseHistoryParams", () => {
  it("defaults to 30 days and every variant", () => {
    expect(parseHistoryParams({})).toEqual({ range: "30d", variantIds: null });
  });

  it("reads a range and a comma-separated or repeated variant list", () => {
    expect(parseHistoryParams({ range: "7d", variants: "a,b" })).toEqual({ range: "7d", variantIds: ["a", "b"] });
    expect(parseHistoryParams({ range: ["24h"], variants: ["a", "b,c"] })).toEqual({ range: "24h", variantIds: ["a", "b", "c"] });
  });

  it("falls back on bad input instead of failing the page", () => {
    expect(parseHistoryParams({ range: "1y", variants: "a;drop table" })).toEqual({ range: "30d", variantIds: null });
  });
});

describe("rangeStart", () => {
  it("subtracts the range from now, and has no start for all", () => {
    const now = new Date("2026-11-22T12:00:00Z");
    expect(rangeStart("24h", now)?.toISOString()).toBe("2026-11-21T12:00:00.000Z");
    expect(rangeStart("7d", now)?.toISOString()).toBe("2026-11-15T12:00:00.000Z");
    expect(rangeStart("all", now)).toBeNull();
  });
});

describe("buildHistoryQuery", () => {
  it("leaves defaults out and keeps commas readable", () => {
    expect(buildHistoryQuery({ range: "30d", variantIds: null })).toBe("");
    expect(buildHistoryQuery({ range: "7d", variantIds: ["a", "b"] })).toBe("?range=7d&variants=a,b");
  });
});

describe("toggleVariant", () => {
  const all = ["a", "b", "c"];
  it("switches one variant off from the full set and back on", () => {
    const off = toggleVariant({ range: "30d", variantIds: null }, "b", all);
    expect(off.variantIds).toEqual(["a", "c"]);
    expect(toggleVariant(off, "b", all).variantIds).toBeNull();
  });

  it("keeps the last visible variant on", () => {
    const params = { range: "30d" as const, variantIds: ["a"] };
    expect(toggleVariant(params, "a", all)).toBe(params);
  });
});

describe("splitListParam", () => {
  it("dedupes and trims", () => {
    expect(splitListParam(" a, b ,a,,")).toEqual(["a", "b"]);
    expect(splitListParam(undefined)).toEqual([]);
  });
});

describe("the size basis in the URL (issue 17)", () => {
  it("keeps ?size=compressed through parse and the filter links, and drops anything else", () => {
    const params = parseHistoryParams({ range: "7d", size: "compressed" });
    expect(params.sizeBasis).toBe("compressed");
    expect(buildHistoryQuery(toggleVariant({ ...params, variantIds: null }, "a", ["a", "b"]))).toBe("?range=7d&variants=b&size=compressed");
    expect(parseHistoryParams({ size: "gzip" }).sizeBasis).toBeUndefined();
    expect(buildHistoryQuery({ ...params, sizeBasis: undefined })).toBe("?range=7d");
  });
});
