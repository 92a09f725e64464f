// The compare page's content data: each build's content diff against the baseline and the
// package × build matrix, from the builds' content analyses (issue 11).
import "server-only";
import { MAIN_IMAGE } from "@/lib/layer-images";
import { toErrorInfo } from "@/lib/errors";
import { findContentAnalysis } from "@/lib/data/content";
import { getContentDiff } from "@/lib/data/content-views";
import { buildPackageMatrix, type PackageMatrix } from "@/lib/content/package-matrix";
import type { ContentDiff } from "@/lib/content/diff";
import type { BuildSummaryDto } from "@/lib/types";

export type ComparisonContentDiff = { buildId: string; diff: ContentDiff | null; message: string | null };

export type ComparisonContent = {
  baselineId: string | null;
  diffs: ComparisonContentDiff[];
  matrix: PackageMatrix;
  analysed: number;
  pending: number;
};

const describe = (status: string | undefined, error: string | null | undefined) =>
  status === undefined ? "not analysed" : status === "FAILED" ? `analysis failed: ${error ?? "unknown error"}` : "analysis still running";

/** `builds` in display order (the comparison table's); the matrix puts the baseline first. */
export const findComparisonContent = async (builds: BuildSummaryDto[], baselineId: string | null): Promise<ComparisonContent> => {
  const succeeded = builds.filter((b) => b.status === "SUCCEEDED").sort((a, b) => Number(b.id === baselineId) - Number(a.id === baselineId));
  const analyses = await Promise.all(succeeded.map((b) => findContentAnalysis(b.id, MAIN_IMAGE)));
  const byId = new Map(succeeded.map((b, i) => [b.id, analyses[i]]));
  const baseline = baselineId ? byId.get(baselineId) : undefined;
  const diffs: ComparisonContentDiff[] = [];
  for (const build of succeeded) {
    if (build.id === baselineId) continue;
    const analysis = byId.get(build.id);
    if (baseline?.status !== "SUCCEEDED") {
      diffs.push({ buildId: build.id, diff: null, message: `baseline: ${describe(baseline?.status, baseline?.error?.message)}` });
      continue;
    }
    if (analysis?.status !== "SUCCEEDED") {
      diffs.push({ buildId: build.id, diff: null, message: describe(analysis?.status, analysis?.error?.message) });
      continue;
    }
    try {
      const { diff } = await getContentDiff(baselineId!, build.id, { image: MAIN_IMAGE, depth: 2, top: 10 });
      diffs.push({ buildId: build.id, diff, message: null });
    } catch (error) {
      diffs.push({ buildId: build.id, diff: null, message: toErrorInfo(error, "api").message });
    }
  }
  return {
    baselineId,
    diffs,
    matrix: buildPackageMatrix(
      succeeded.map((b) => ({ buildId: b.id, packages: byId.get(b.id)?.status === "SUCCEEDED" ? (byId.get(b.id)!.result?.packages ?? null) : null })),
      40,
    ),
    analysed: analyses.filter((a) => a?.status === "SUCCEEDED").length,
    pending: analyses.filter((a) => a?.status === "QUEUED" || a?.status === "RUNNING").length,
  };
};
