// Bars for the compare page: each build's size split into base-image bytes and its own
// layers. Pure.
import type { BuildSummaryDto, Strategy } from "@/lib/types";

export type SizeComparisonBar = {
  buildId: string;
  label: string;
  strategy: Strategy;
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
        strategy: b.strategy,
        base,
        own: total - base,
        total,
        buildImageSize: b.buildImageSize,
        runs: b.runs,
      };
    });
