// The report model shared by every export (Markdown, JSON, CSV, share links) and its
// pure assembly from build DTOs. No database here: lib/data/reports.ts gathers the inputs.
import { evaluateBudget } from "@/lib/builds/budget";
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import { MAIN_IMAGE } from "@/lib/layer-images";
import { formatBytes, formatPercent } from "@/lib/format/bytes";
import type { Finding, FindingSeverity } from "@/lib/analysis/advice";
import type { BuildDetailDto, BuildStatus, Strategy } from "@/lib/types";
import { isFinished } from "@/lib/types";
import { getReportPath } from "@/lib/reports/report-paths";
import { describeSmokeFailure } from "@/lib/analysis/smoke-reason";
import { toReportLayerDiff, type ReportLayerDiff } from "@/lib/reports/report-layer-diff";
import type { LayerDto } from "@/lib/types";
import {
  toReportContentBuild,
  toReportContentFindings,
  type ReportContent,
  type ReportContentDifference,
  type ReportContentInput,
} from "@/lib/reports/report-content";

// Bump when a field changes meaning or disappears; adding fields keeps the version.
// 2: `content` (image contents: analysis totals, run findings, differences vs the baseline).
// 3: `isSmallest` means the smallest image *that runs* (`smallestThatRuns`); `smokeError` is the
//    loader's or command's own error line; `layerDiffs` (each image's layers vs the baseline).
// 4: compressed sizes (issue 17): `compressedSize`, `compressedSource`, `previousCompressedSize`,
//    `deltaVsPreviousCompressed` per row; `budget.basis` says which size the budget judged.
export const REPORT_SCHEMA_VERSION = 4;

// Largest own layers listed per build in the top-layers section.
export const TOP_LAYERS_PER_BUILD = 5;

export type ReportKind = "build" | "comparison";

// percent: 5.2 means +5.2 % (not a ratio), so JSON and CSV read the same.
export type ReportDelta = { bytes: number | null; percent: number | null };

export type ReportBudget = {
  /** "DISK" (uncompressed on the engine's store) or "COMPRESSED" (what a pull downloads). */
  basis: "DISK" | "COMPRESSED";
  sizeBudgetBytes: number | null;
  regressionThresholdPct: number | null;
  // false when there was no size to judge (the build did not succeed)
  evaluated: boolean;
  overBudget: boolean;
  regression: boolean;
  passed: boolean;
  messages: string[];
};

export type ReportRow = {
  buildId: string;
  variantId: string;
  variant: string;
  strategy: Strategy;
  strategyLabel: string;
  status: BuildStatus;
  errorCode: string | null;
  error: string | null;
  size: number | null;
  /** Compressed size (issue 17) and where it comes from: MANIFEST, ESTIMATED or CONTENT_STORE. */
  compressedSize: number | null;
  compressedSource: string | null;
  baseSize: number | null;
  ownSize: number | null;
  isBaseline: boolean;
  // the smallest image of a comparison among those that built and run (never a broken one)
  isSmallest: boolean;
  deltaVsBaseline: ReportDelta;
  previousBuildId: string | null;
  previousSize: number | null;
  deltaVsPrevious: ReportDelta;
  previousCompressedSize: number | null;
  deltaVsPreviousCompressed: ReportDelta;
  runs: boolean | null;
  smokeExitCode: number | null;
  // why it does not run: the loader's or command's error line, else the static run check, else the exit code
  smokeError: string | null;
  layerCount: number | null;
  durationMs: number | null;
  cachedSteps: number;
  stepsTotal: number;
  budget: ReportBudget;
  contextRevision: string | null;
  imageId: string | null;
  queuedAt: string;
  finishedAt: string | null;
};

export type ReportLayer = {
  buildId: string;
  variant: string;
  position: number;
  instruction: string;
  size: number;
  isFromBase: boolean;
  percentOfImage: number | null;
};

export type ReportFinding = {
  buildId: string;
  variant: string;
  code: string;
  severity: FindingSeverity;
  title: string;
  detail: string;
  bytesAtStake: number | null;
  layerPosition: number | null;
  instruction: string | null;
};

export type Report = {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: ReportKind;
  // the build id or the comparison id
  id: string;
  title: string;
  generatedAt: string;
  project: { id: string; slug: string; name: string };
  contextRevision: string | null;
  baseline: { buildId: string; variant: string; size: number | null } | null;
  // the smallest image that built and runs (comparisons of two or more images), or null
  smallestThatRuns: { buildId: string; variant: string; size: number } | null;
  // every build of the report has finished
  done: boolean;
  rows: ReportRow[];
  // every non-empty layer of each shipped image (not builder-pattern build images)
  layers: ReportLayer[];
  topLayers: ReportLayer[];
  advice: ReportFinding[];
  budget: { passed: boolean; messages: string[] };
  // the dashboard page this report comes from, relative to the app's origin
  dashboardPath: string;
  // image contents (issue 11): per build, its static run findings, differences vs the baseline
  content: ReportContent;
  // each successful image's layers against the baseline's (not the baseline itself)
  layerDiffs: ReportLayerDiff[];
};

export type ReportBuildInput = {
  build: BuildDetailDto;
  budget: { sizeBudgetBytes: number | null; regressionThresholdPct: number | null; budgetBasis?: "DISK" | "COMPRESSED" };
  previous: { buildId: string; size: number | null; compressedSize?: number | null } | null;
  findings: Finding[];
  // the build's content analysis (null: none was queued); omitted: not read
  content?: ReportContentInput;
};

export type AssembleReportInput = {
  kind: ReportKind;
  id: string;
  generatedAt: string;
  project: { id: string; slug: string; name: string };
  contextRevision: string | null;
  // builds in display order
  builds: ReportBuildInput[];
  baseline: { buildId: string; variant: string; size: number | null } | null;
  // each build's content differences against the baseline, already shaped (lib/reports/report-content.ts)
  contentDifferences?: ReportContentDifference[];
  // the baseline's layers when the baseline is not one of `builds` (a lone build's report)
  baselineLayers?: LayerDto[] | null;
};

const toPercent = (ratio: number | null) => (ratio === null ? null : ratio * 100);

const deltaAgainst = (size: number | null, reference: number | null | undefined): ReportDelta => {
  if (size === null || reference === null || reference === undefined) return { bytes: null, percent: null };
  const bytes = size - reference;
  return { bytes, percent: reference ? (bytes / reference) * 100 : null };
};

// evaluateBudget's own messages speak in raw bytes; reports want readable ones.
const describeBudget = (size: number, input: ReportBuildInput["budget"], verdict: ReturnType<typeof evaluateBudget>) => {
  const messages: string[] = [];
  const what = input.budgetBasis === "COMPRESSED" ? " compressed" : "";
  if (verdict.overBudget)
    messages.push(`${formatBytes(size)}${what} is over the budget of ${formatBytes(input.sizeBudgetBytes)} (by ${formatBytes(size - input.sizeBudgetBytes!)})`);
  if (verdict.regression)
    messages.push(`grew ${formatPercent(verdict.deltaVsPreviousPct)} vs the previous successful build (threshold ${input.regressionThresholdPct} %)`);
  return messages;
};

// The budget judges the size its basis names: on-disk, or compressed (issue 17).
const evaluateRowBudget = (diskSize: number | null, compressedSize: number | null, input: ReportBuildInput): ReportBudget => {
  const { sizeBudgetBytes, regressionThresholdPct } = input.budget;
  const basis = input.budget.budgetBasis ?? "DISK";
  const size = basis === "COMPRESSED" ? compressedSize : diskSize;
  const previousSize = (basis === "COMPRESSED" ? input.previous?.compressedSize : input.previous?.size) ?? null;
  if (size === null)
    return { basis, sizeBudgetBytes, regressionThresholdPct, evaluated: false, overBudget: false, regression: false, passed: true, messages: [] };
  const verdict = evaluateBudget({ size, sizeBudgetBytes, regressionThresholdPct, previousSize });
  return {
    basis,
    sizeBudgetBytes,
    regressionThresholdPct,
    evaluated: true,
    overBudget: verdict.overBudget,
    regression: verdict.regression,
    passed: verdict.passed,
    messages: describeBudget(size, input.budget, verdict),
  };
};

// The run findings of the image contents back the reason when the output names none.
const smokeErrorOf = (input: ReportBuildInput): string | null => {
  const evidence = input.content?.status === "SUCCEEDED" ? (input.content.result?.findings ?? []) : [];
  return describeSmokeFailure(input.build.smoke, evidence);
};

const mainLayersOf = (build: BuildDetailDto) => build.layers.filter((layer) => layer.image === MAIN_IMAGE && !layer.isEmpty);

const toReportLayers = (build: BuildDetailDto): ReportLayer[] =>
  mainLayersOf(build).map((layer) => ({
    buildId: build.id,
    variant: build.variantName,
    position: layer.position,
    instruction: layer.instruction,
    size: layer.size,
    isFromBase: layer.isFromBase,
    percentOfImage: build.totalSize ? (layer.size / build.totalSize) * 100 : null,
  }));

const toRow = (input: ReportBuildInput, baseline: AssembleReportInput["baseline"], smallestId: string | null): ReportRow => {
  const { build } = input;
  const size = build.status === "SUCCEEDED" ? build.totalSize : null;
  const compressedSize = build.status === "SUCCEEDED" ? (build.compressedSize ?? null) : null;
  const budget = evaluateRowBudget(size, compressedSize, input);
  return {
    buildId: build.id,
    variantId: build.variantId,
    variant: build.variantName,
    strategy: build.strategy,
    strategyLabel: STRATEGY_META[build.strategy].label,
    status: build.status,
    errorCode: build.errorCode,
    error: build.error,
    size,
    compressedSize,
    compressedSource: compressedSize === null ? null : (build.compressedSource ?? null),
    baseSize: build.baseSize,
    ownSize: size !== null && build.baseSize !== null ? size - build.baseSize : null,
    isBaseline: baseline?.buildId === build.id,
    isSmallest: build.id === smallestId,
    deltaVsBaseline: deltaAgainst(size, baseline?.size),
    previousBuildId: input.previous?.buildId ?? null,
    previousSize: input.previous?.size ?? null,
    deltaVsPrevious: deltaAgainst(size, input.previous?.size),
    previousCompressedSize: input.previous?.compressedSize ?? null,
    deltaVsPreviousCompressed: deltaAgainst(compressedSize, input.previous?.compressedSize),
    runs: build.runs,
    smokeExitCode: build.smoke?.exitCode ?? null,
    smokeError: smokeErrorOf(input),
    layerCount: build.layerCount,
    durationMs: build.durationMs,
    cachedSteps: build.cachedSteps,
    stepsTotal: build.stepsTotal,
    budget,
    contextRevision: build.contextRevision,
    imageId: build.imageId,
    queuedAt: build.queuedAt,
    finishedAt: build.finishedAt,
  };
};

const toFindings = (input: ReportBuildInput): ReportFinding[] =>
  input.findings.map((finding) => ({
    buildId: input.build.id,
    variant: input.build.variantName,
    code: finding.code,
    severity: finding.severity,
    title: finding.title,
    detail: finding.detail,
    bytesAtStake: finding.bytesAtStake,
    layerPosition: finding.layerPosition,
    instruction: finding.instruction,
  }));

export const createReportTitle = (kind: ReportKind, projectName: string, builds: BuildDetailDto[]) =>
  kind === "build"
    ? `${projectName} · ${builds[0]?.variantName ?? "build"}`
    : `${projectName} · comparison of ${builds.length} variant${builds.length === 1 ? "" : "s"}`;

/**
 * The smallest image that built and whose smoke run passed: an image that does not start is
 * never praised, however small. Only among two or more built images of a comparison; ties go
 * to the first in display order.
 */
export const findSmallestThatRuns = (kind: ReportKind, builds: BuildDetailDto[]): Report["smallestThatRuns"] => {
  const built = builds.filter((b) => b.status === "SUCCEEDED" && b.totalSize !== null);
  if (kind !== "comparison" || built.length < 2) return null;
  const running = built.filter((b) => b.runs === true);
  const smallest = running.reduce<BuildDetailDto | null>((best, b) => (!best || b.totalSize! < best.totalSize! ? b : best), null);
  return smallest ? { buildId: smallest.id, variant: smallest.variantName, size: smallest.totalSize! } : null;
};

const findLayerDiffs = (input: AssembleReportInput): ReportLayerDiff[] => {
  const baseline = input.baseline;
  if (!baseline) return [];
  const baselineLayers = input.builds.find((b) => b.build.id === baseline.buildId)?.build.layers ?? input.baselineLayers ?? null;
  if (!baselineLayers?.length) return [];
  return input.builds
    .filter((b) => b.build.id !== baseline.buildId && b.build.status === "SUCCEEDED" && b.build.layers.length > 0)
    .map((b) => toReportLayerDiff(b.build, baseline, baselineLayers));
};

export const assembleReport = (input: AssembleReportInput): Report => {
  const smallestThatRuns = findSmallestThatRuns(input.kind, input.builds.map((b) => b.build));
  const rows = input.builds.map((b) => toRow(b, input.baseline, smallestThatRuns?.buildId ?? null));
  const layers = input.builds.flatMap((b) => toReportLayers(b.build));
  const topLayers = input.builds.flatMap((b) =>
    toReportLayers(b.build)
      .filter((layer) => !layer.isFromBase && layer.size > 0)
      .sort((x, y) => y.size - x.size || x.position - y.position)
      .slice(0, TOP_LAYERS_PER_BUILD),
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: input.kind,
    id: input.id,
    title: createReportTitle(input.kind, input.project.name, input.builds.map((b) => b.build)),
    generatedAt: input.generatedAt,
    project: input.project,
    contextRevision: input.contextRevision,
    baseline: input.baseline,
    smallestThatRuns,
    done: input.builds.length > 0 && input.builds.every((b) => isFinished(b.build.status)),
    rows,
    layers,
    topLayers,
    advice: input.builds.flatMap(toFindings),
    budget: {
      passed: rows.every((row) => row.budget.passed),
      messages: rows.flatMap((row) => row.budget.messages.map((message) => `${row.variant}: ${message}`)),
    },
    dashboardPath: getReportPath(input.kind, input.id),
    content: {
      builds: input.builds.map((b) => toReportContentBuild(b.build.id, b.build.variantName, b.content ?? null)),
      findings: input.builds.flatMap((b) => toReportContentFindings(b.build.id, b.build.variantName, b.content ?? null)),
      differences: input.contentDifferences ?? [],
    },
    layerDiffs: findLayerDiffs(input),
  };
};
