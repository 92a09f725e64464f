// Reads the inputs of a build or comparison report (stored builds, the previous
// successful build of each variant, the variants' budgets, advice) and assembles it.
import "server-only";
import { db } from "@/lib/db";
import { findPreviousSuccessfulBuild, getBuild } from "@/lib/data/builds";
import { getComparison } from "@/lib/data/comparisons";
import { getProject } from "@/lib/data/projects";
import { toNumber } from "@/lib/data/mappers";
import { adviseOnLayers } from "@/lib/analysis/advice";
import { assembleReport, type Report, type ReportBuildInput } from "@/lib/reports/build-report";
import type { BuildDetailDto, ProjectDto } from "@/lib/types";
import { MAIN_IMAGE } from "@/lib/layer-images";

const findPreviousForReport = async (build: BuildDetailDto) => {
  const previous = await findPreviousSuccessfulBuild(build);
  return previous ? { buildId: previous.id, size: previous.totalSize } : null;
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
  return {
    build,
    budget: { sizeBudgetBytes: variant?.sizeBudgetBytes ?? null, regressionThresholdPct: variant?.regressionThresholdPct ?? null },
    previous: await findPreviousForReport(build),
    findings: adviseOnBuild(build),
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
  return assembleReport({
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
  return assembleReport({
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
