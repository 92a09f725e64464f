// Per-variant results of a comparison, against a baseline (single-stage by default).
// Pure: works on build summaries, so pages, reports and the API agree.
import type { BuildSummaryDto, Strategy } from "@/lib/types";
import { isFinished } from "@/lib/types";

export type ComparisonRow = {
  build: BuildSummaryDto;
  size: number | null;
  deltaBytes: number | null;
  deltaPct: number | null;
  isBaseline: boolean;
  isSmallest: boolean;
};

export type ComparisonMetrics = { rows: ComparisonRow[]; baselineBuildId: string | null; done: boolean };

const STRATEGY_ORDER: Strategy[] = ["SINGLE_STAGE", "MULTI_STAGE", "VENV_COPIES", "BUILDER_PATTERN", "CUSTOM"];

type BaselineCandidate = Pick<BuildSummaryDto, "id" | "strategy" | "variantName" | "totalSize">;

const orderForComparison = <T extends BaselineCandidate>(builds: T[]): T[] =>
  [...builds].sort((a, b) => STRATEGY_ORDER.indexOf(a.strategy) - STRATEGY_ORDER.indexOf(b.strategy) || a.variantName.localeCompare(b.variantName));

/** A comparison's baseline: the one asked for, else single-stage, else the first with a size (retention keeps its image). */
export const pickBaselineBuild = <T extends BaselineCandidate>(builds: T[], baselineBuildId?: string | null): T | null => {
  const ordered = orderForComparison(builds);
  return (
    ordered.find((b) => b.id === baselineBuildId) ??
    ordered.find((b) => b.strategy === "SINGLE_STAGE" && b.totalSize !== null) ??
    ordered.find((b) => b.totalSize !== null) ??
    null
  );
};

export const computeComparisonMetrics = (builds: BuildSummaryDto[], baselineBuildId?: string | null): ComparisonMetrics => {
  const ordered = orderForComparison(builds);
  const baseline = pickBaselineBuild(builds, baselineBuildId);
  const sized = ordered.filter((b) => b.totalSize !== null);
  const smallest = sized.length ? Math.min(...sized.map((b) => b.totalSize!)) : null;
  const rows = ordered.map((build) => {
    const size = build.totalSize;
    const base = baseline?.totalSize ?? null;
    const deltaBytes = size !== null && base !== null ? size - base : null;
    return {
      build,
      size,
      deltaBytes,
      deltaPct: deltaBytes !== null && base ? deltaBytes / base : null,
      isBaseline: build.id === baseline?.id,
      isSmallest: size !== null && size === smallest,
    };
  });
  return { rows, baselineBuildId: baseline?.id ?? null, done: builds.length > 0 && builds.every((b) => isFinished(b.status)) };
};
