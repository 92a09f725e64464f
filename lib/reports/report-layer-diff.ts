// The layer diff of a report: each image's own layers against the baseline's, aligned on their
// instruction (lib/builds/layer-diff.ts), with the totals and the largest changes. Pure.
import { diffLayers, type LayerDiffKind } from "@/lib/builds/layer-diff";
import type { BuildDetailDto, LayerDto } from "@/lib/types";

// Changed layers listed per image; the totals count them all.
export const TOP_LAYER_CHANGES = 8;

export type ReportLayerChange = {
  kind: Exclude<LayerDiffKind, "unchanged">;
  instruction: string;
  baselineSize: number | null;
  size: number | null;
  deltaBytes: number;
};

export type ReportLayerDiff = {
  buildId: string;
  variant: string;
  baselineBuildId: string;
  baselineVariant: string;
  added: number;
  removed: number;
  grown: number;
  shrunk: number;
  unchanged: number;
  /** this image's layers minus the baseline's, in bytes */
  deltaBytes: number;
  /** the largest changes first, at most TOP_LAYER_CHANGES */
  changes: ReportLayerChange[];
  moreChanges: number;
};

export const toReportLayerDiff = (
  build: Pick<BuildDetailDto, "id" | "variantName" | "layers">,
  baseline: { buildId: string; variant: string },
  baselineLayers: LayerDto[],
): ReportLayerDiff => {
  const diff = diffLayers(baselineLayers, build.layers);
  const changed = diff.rows
    .filter((row) => row.kind !== "unchanged")
    .sort((x, y) => Math.abs(y.deltaBytes) - Math.abs(x.deltaBytes))
    .map((row) => ({
      kind: row.kind as ReportLayerChange["kind"],
      instruction: row.instruction,
      baselineSize: row.a?.size ?? null,
      size: row.b?.size ?? null,
      deltaBytes: row.deltaBytes,
    }));
  return {
    buildId: build.id,
    variant: build.variantName,
    baselineBuildId: baseline.buildId,
    baselineVariant: baseline.variant,
    added: diff.totals.added,
    removed: diff.totals.removed,
    grown: diff.totals.grown,
    shrunk: diff.totals.shrunk,
    unchanged: diff.totals.unchanged,
    deltaBytes: diff.totals.deltaBytes,
    changes: changed.slice(0, TOP_LAYER_CHANGES),
    moreChanges: Math.max(0, changed.length - TOP_LAYER_CHANGES),
  };
};
