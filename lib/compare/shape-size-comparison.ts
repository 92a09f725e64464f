// Bars for the compare page: each build's size split into base-image bytes and its own
// layers. Pure.
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import type { BuildSummaryDto } from "@/lib/types";

export type SizeComparisonBar = {
  buildId: string;
  label: string;
  color: string;
  base: number;
  own: number;
  total: number;
  buildImageSize: number | null;
  runs: boolean | null;
};

// Builds without a size (still running, failed) have no bar; a build whose layers were not
// analysed shows its whole size as its own.
export const shapeSizeComparison = (builds: BuildSummaryDto[]): SizeComparisonBar[] =>
  builds
    .filter((b) => b.totalSize !== null)
    .map((b) => {
      const total = b.totalSize!;
      const base = Math.min(b.baseSize ?? 0, total);
      return {
        buildId: b.id,
        label: b.variantName,
        color: STRATEGY_META[b.strategy].color,
        base,
        own: total - base,
        total,
        buildImageSize: b.buildImageSize,
        runs: b.runs,
      };
    });
