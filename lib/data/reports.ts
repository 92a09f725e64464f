// Reads the inputs of a build or comparison report (stored builds, the previous
// successful build of each variant, the variants' budgets, advice) and assembles it.
import "server-only";
import { db } from "@/lib/db";
import { findPreviousSuccessfulBuild, getBuild } from "@/lib/data/builds";
import { getComparison } from "@/lib/data/comparisons";
import { getProject } from "@/lib/data/projects";
import { toNumber } from "@/lib/data/mappers";
import { adviseOnLayers } from "@/lib/analysis/advice";
import { mergeAdvice } from "@/lib/content/content-advice";
import { assembleReport, type Report, type ReportBuildInput } from "@/lib/reports/build-report";
import type { BuildDetailDto, ProjectDto } from "@/lib/types";
import { MAIN_IMAGE } from "@/lib/layer-images";
import { findContentAnalysis, type ContentAnalysisDto } from "@/lib/data/content";
import { getContentDiff } from "@/lib/data/content-views";
import { toReportContentDifference, type ReportContentDifference, type ReportContentInput } from "@/lib/reports/report-content";

const toContentInput = (analysis: ContentAnalysisDto | null): ReportContentInput =>
  analysis && { status: analysis.status, error: analysis.error?.message ?? null, result: analysis.result };

// Each other build's content against the baseline, when both were analysed; a diff that cannot
// be made (an analysis still running, an index removed meanwhile) is left out, not an error.
const findContentDifferences = async (inputs: ReportBuildInput[], baselineBuildId: string | null): Promise<ReportContentDifference[]> => {
  if (!baselineBuildId) return [];
  const ready = (input: ReportBuildInput) => input.content?.status === "SUCCEEDED";
  const baseline = inputs.find((i) => i.build.id === baselineBuildId);
  const baselineReady = baseline ? ready(baseline) : (await findContentAnalysis(baselineBuildId, MAIN_IMAGE))?.status === "SUCCEEDED";
  if (!baselineReady) return [];
  const differences: ReportContentDifference[] = [];
  for (const input of inputs) {
    if (input.build.id === baselineBuildId || !ready(input)) continue;
    try {
      const { diff } = await getContentDiff(baselineBuildId, input.build.id, { image: MAIN_IMAGE, depth: 2, top: 5 });
      differences.push(toReportContentDifference(input.build.id, input.build.variantName, baselineBuildId, diff));
    } catch {
      // see above
    }
  }
  return differences;
};

const findPreviousForReport = async (build: BuildDetailDto) => {
  const previous = await findPreviousSuccessfulBuild(build);
  return previous ? { buildId: previous.id, size: previous.totalSize, compressedSize: previous.compressedSize } : null;
};

// Advice needs only the shipped image's layers; the Dockerfile and .dockerignore are not
// stored with a build, so the findings that need them are not part of reports.
const adviseOnBuild = (build: BuildDetailDto) =>
  build.status === "SUCCEEDED"
    ? adviseOnLayers({
        layers: build.layers
          .filter((layer) => layer.image === MAIN_IMAGE)
          .map(({ position, instruction, size, isEmpty, isFromBase }) => ({ position, instruction, size, isEmpty, isFromBase })),
      })
    : [];

// Budgets are the variant's current ones: a report answers "does this build meet the
// budget we hold it to now". Shared snapshots freeze whatever applied when they were made.
const toBuildInput = async (build: BuildDetailDto, project: ProjectDto): Promise<ReportBuildInput> => {
  const variant = project.variants.find((v) => v.id === build.variantId);
  const analysis = build.status === "SUCCEEDED" ? await findContentAnalysis(build.id, MAIN_IMAGE) : null;
  const measured = analysis?.result?.advice;
  return {
    build,
    budget: { sizeBudgetBytes: variant?.sizeBudgetBytes ?? null, regressionThresholdPct: variant?.regressionThresholdPct ?? null, budgetBasis: variant?.budgetBasis },
    previous: await findPreviousForReport(build),
    // Measured bytes replace the estimates they cover once the contents are analysed.
    findings: measured ? mergeAdvice(adviseOnBuild(build), measured) : adviseOnBuild(build),
    content: build.status === "SUCCEEDED" ? toContentInput(analysis) : null,
  };
};

const toProjectRef = (project: ProjectDto) => ({ id: project.id, slug: project.slug, name: project.name });

// A lone build is measured against its comparison's baseline, or else the latest
// successful single-stage build of the project up to it (the naive Dockerfile).
const findBuildBaseline = async (build: BuildDetailDto) => {
  if (build.comparisonId) {
    const { metrics } = await getComparison(build.comparisonId);
    const baseline = metrics.rows.find((row) => row.isBaseline);
    if (baseline && baseline.build.status === "SUCCEEDED")
      return { buildId: baseline.build.id, variant: baseline.build.variantName, size: baseline.build.totalSize };
  }
  const row = await db.build.findFirst({
    where: { projectId: build.projectId, status: "SUCCEEDED", variant: { strategy: "SINGLE_STAGE" }, queuedAt: { lte: new Date(build.queuedAt) } },
    orderBy: { queuedAt: "desc" },
    select: { id: true, totalSize: true, variant: { select: { name: true } } },
  });
  return row ? { buildId: row.id, variant: row.variant.name, size: toNumber(row.totalSize) } : null;
};

export const getBuildReport = async (buildId: string): Promise<Report> => {
  const build = await getBuild(buildId);
  const project = await getProject(build.projectId);
  const [input, baseline] = await Promise.all([toBuildInput(build, project), findBuildBaseline(build)]);
  const contentDifferences = await findContentDifferences([input], baseline?.buildId ?? null);
  // The layer diff needs the baseline's layers (a lone build's baseline is another build).
  const baselineLayers = baseline && baseline.buildId !== build.id ? (await getBuild(baseline.buildId)).layers : null;
  return assembleReport({
    contentDifferences,
    baselineLayers,
    kind: "build",
    id: build.id,
    generatedAt: new Date().toISOString(),
    project: toProjectRef(project),
    contextRevision: build.contextRevision,
    builds: [input],
    baseline,
  });
};

export const getComparisonReport = async (comparisonId: string): Promise<Report> => {
  const comparison = await getComparison(comparisonId);
  const project = await getProject(comparison.projectId);
  const builds = await Promise.all(comparison.metrics.rows.map((row) => getBuild(row.build.id)));
  const inputs = await Promise.all(builds.map((build) => toBuildInput(build, project)));
  const baselineRow = comparison.metrics.rows.find((row) => row.isBaseline);
  const contentDifferences = await findContentDifferences(inputs, baselineRow?.build.id ?? null);
  return assembleReport({
    contentDifferences,
    kind: "comparison",
    id: comparison.id,
    generatedAt: new Date().toISOString(),
    project: toProjectRef(project),
    contextRevision: comparison.contextRevision,
    builds: inputs,
    baseline: baselineRow ? { buildId: baselineRow.build.id, variant: baselineRow.build.variantName, size: baselineRow.size } : null,
  });
};

export const getReport = (kind: "build" | "comparison", id: string) => (kind === "build" ? getBuildReport(id) : getComparisonReport(id));
