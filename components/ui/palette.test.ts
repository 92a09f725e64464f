import { describe, expect, it } from "vitest";
import { assignSeriesColors, BASE_LAYER_COLOR, shadeColor, STRATEGY_COLORS } from "@/components/ui/palette";
import { seriesKey, type HistoryVariant } from "@/lib/history/shape-size-history";

const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

describe("STRATEGY_COLORS", () => {
  it("gives every strategy a distinct hex colour, none the base image's grey", () => {
    const colors = Object.values(STRATEGY_COLORS);
    expect(Object.keys(STRATEGY_COLORS).sort()).toEqual(["BUILDER_PATTERN", "CUSTOM", "MULTI_STAGE", "SINGLE_STAGE", "VENV_COPIES"]);
    for (const color of colors) expect(color).toMatch(/^#[0-9a-f]{6}$/);
    expect(new Set(colors).size).toBe(colors.length);
    expect(colors).not.toContain(BASE_LAYER_COLOR);
  });

  it("picks colours with at least 3:1 contrast on white and on a dark background", () => {
    for (const color of Object.values(STRATEGY_COLORS)) {
      expect(contrast(luminance(color), 1)).toBeGreaterThanOrEqual(3);
      expect(contrast(luminance(color), luminance("#0f172a"))).toBeGreaterThanOrEqual(3);
    }
  });
});

describe("assignSeriesColors", () => {
  const variants: HistoryVariant[] = [
    { id: "single", name: "single-stage", strategy: "SINGLE_STAGE", sizeBudgetBytes: null },
    { id: "multi", name: "multi-stage", strategy: "MULTI_STAGE", sizeBudgetBytes: 300_000_000 },
    { id: "copies", name: "venv --copies", strategy: "VENV_COPIES", sizeBudgetBytes: null },
  ];

  it("uses the strategy colour and gives later variants of the same strategy distinct shades", () => {
    const series = assignSeriesColors([
      ...variants,
      { id: "multi2", name: "multi-stage slim", strategy: "MULTI_STAGE", sizeBudgetBytes: null },
      { id: "multi3", name: "multi-stage alpine", strategy: "MULTI_STAGE", sizeBudgetBytes: null },
    ]);
    expect(series[0].color).toBe(STRATEGY_COLORS.SINGLE_STAGE);
    expect(series[1].color).toBe(STRATEGY_COLORS.MULTI_STAGE);
    const multiColors = series.filter((s) => s.strategy === "MULTI_STAGE").map((s) => s.color);
    expect(new Set(multiColors).size).toBe(3);
    expect(series[3].key).toBe(seriesKey("multi2"));
  });

  it("shades towards white and black", () => {
    expect(shadeColor("#000000", 0.5)).toBe("#808080");
    expect(shadeColor("#ffffff", -1)).toBe("#000000");
    expect(shadeColor("#0a7bbd", 0)).toBe("#0a7bbd");
  });
});
