import { describe, expect, it } from "vitest";
import { isTargetMet, parseBenchTarget } from "@/lib/harness/bench-json";

describe("bench targets written in words", () => {
  it("reads the targets the benches write", () => {
    expect(parseBenchTarget("≤ 1.03×")).toEqual({ on: "ratio", max: 1.03 });
    expect(parseBenchTarget("≥ 90 % of tar throughput (≤ 1.11×)")).toEqual({ on: "ratio", max: 1.11 });
    expect(parseBenchTarget("≥ 0.90")).toEqual({ on: "ratio", min: 0.9 });
    expect(parseBenchTarget("< 150 MiB")).toEqual({ on: "value", max: 150 });
    expect(parseBenchTarget("0")).toEqual({ on: "value", max: 0, min: 0 });
    expect(parseBenchTarget("fast")).toBeNull();
  });

  it("judges a figure against the parsed target", () => {
    expect(isTargetMet({ value: 120, ratio: null, target: parseBenchTarget("< 150 MiB") })).toBe(true);
    expect(isTargetMet({ value: 2, ratio: 1.2, target: parseBenchTarget("≤ 1.1×") })).toBe(false);
    expect(isTargetMet({ value: 3, ratio: null, target: parseBenchTarget("0") })).toBe(false);
  });
});
