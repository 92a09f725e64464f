// Turns Prisma rows into the plain DTOs of lib/types (BigInt → number, Date → ISO string).
import "server-only";
import type {
  Build,
  BuildStep,
  Layer,
  Project,
  SmokeResult,
  Variant,
} from "@/lib/generated/prisma/client";
import type {
  BuildDetailDto,
  BuildSummaryDto,
  LayerDto,
  ProjectDto,
  SmokeDto,
  StepDto,
  VariantDto,
} from "@/lib/types";
import { MAIN_IMAGE } from "@/lib/layer-images";
import { maskBuildArgs, maskSettings } from "@/lib/builds/secret-args";
import { parseBuildPhases } from "@/lib/builds/build-phases";

type Numeric = bigint | number | string;
type ToNumber = {
  (value: Numeric): number;
  (value: Numeric | null | undefined): number | null;
};

/**
 * The one number mapper: BIGINT columns (sizes) and raw-query numbers (adapter-pg returns
 * BIGINT and row_number() as bigint, NUMERIC as string) to a JSON-safe number; null stays null.
 * Sizes stay far below 2^53 bytes, so Number() loses nothing.
 */
export const toNumber = ((value: Numeric | null | undefined) =>
  value === null || value === undefined ? null : Number(value)) as ToNumber;

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export const toVariantDto = (v: Variant): VariantDto => ({
  id: v.id,
  projectId: v.projectId,
  name: v.name,
  strategy: v.strategy,
  dockerfile: v.dockerfile,
  target: v.target,
  // Secret args are write-only: no page or API answer shows their value, to any role
  // (a variant's args cannot be edited, only set at creation).
  buildArgs: maskBuildArgs((v.buildArgs ?? {}) as Record<string, string>, v.secretArgs ?? []),
  secretArgs: v.secretArgs ?? [],
  smokeCommand: (v.smokeCommand as string[] | null) ?? null,
  smokePrivileges: v.smokePrivileges,
  sizeBudgetBytes: toNumber(v.sizeBudgetBytes),
  regressionThresholdPct: v.regressionThresholdPct,
  budgetBasis: v.budgetBasis === "COMPRESSED" ? "COMPRESSED" : "DISK",
  registryBaseImage: v.registryBaseImage,
  builder: v.builder,
  noCache: v.noCache,
  runtimeDockerfile: v.runtimeDockerfile,
  artifactPath: v.artifactPath,
  position: v.position,
  archivedAt: iso(v.archivedAt),
});

export const toProjectDto = (p: Project & { variants: Variant[] }): ProjectDto => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  description: p.description,
  contextKind: p.contextKind,
  contextPath: p.contextPath,
  gitUrl: p.gitUrl,
  gitRef: p.gitRef,
  createdAt: p.createdAt.toISOString(),
  archivedAt: iso(p.archivedAt),
  variants: [...p.variants].sort((a, b) => a.position - b.position).map(toVariantDto),
});

export const toLayerDto = (l: Layer): LayerDto => ({
  image: l.image,
  position: l.position,
  createdBy: l.createdBy,
  instruction: l.instruction,
  size: toNumber(l.size),
  isEmpty: l.isEmpty,
  isFromBase: l.isFromBase,
  layerDigest: l.layerDigest,
  compressedSize: toNumber(l.compressedSize),
});

export const toStepDto = (s: BuildStep): StepDto => ({
  digest: s.digest,
  position: s.position,
  name: s.name,
  stage: s.stage,
  startedAt: iso(s.startedAt),
  completedAt: iso(s.completedAt),
  cached: s.cached,
  error: s.error,
  image: s.image,
});

export const toSmokeDto = (s: SmokeResult): SmokeDto => ({
  command: s.command as string[],
  runs: s.runs,
  exitCode: s.exitCode,
  durationMs: s.durationMs,
  timedOut: s.timedOut,
  oomKilled: s.oomKilled,
  outputHead: s.outputHead,
  outputTail: s.outputTail,
  error: s.error,
});

/** What every build summary reads along with the build row. */
export const buildSummaryInclude = {
  project: { select: { name: true } },
  variant: { select: { name: true, strategy: true } },
  smoke: { select: { runs: true } },
} as const;

export type BuildRowWithRelations = Build & {
  project: Pick<Project, "name">;
  variant: Pick<Variant, "name" | "strategy">;
  smoke: Pick<SmokeResult, "runs"> | null;
  layers?: Layer[];
};

export const toBuildSummaryDto = (
  b: BuildRowWithRelations,
  layerStats?: { layerCount: number; baseSize: number },
): BuildSummaryDto => ({
  id: b.id,
  projectId: b.projectId,
  projectName: b.project.name,
  variantId: b.variantId,
  variantName: b.variant.name,
  strategy: b.variant.strategy,
  comparisonId: b.comparisonId,
  status: b.status,
  builder: b.builder,
  queuedAt: b.queuedAt.toISOString(),
  startedAt: iso(b.startedAt),
  finishedAt: iso(b.finishedAt),
  durationMs: b.durationMs,
  contextRevision: b.contextRevision,
  imageId: b.imageId,
  imageTag: b.imageTag,
  totalSize: toNumber(b.totalSize),
  compressedSize: toNumber(b.compressedSize),
  compressedSource: b.compressedSource,
  baseSize: layerStats?.baseSize ?? null,
  buildImageSize: toNumber(b.buildImageSize),
  stepsTotal: b.stepsTotal,
  stepsDone: b.stepsDone,
  cachedSteps: b.cachedSteps,
  layerCount: layerStats?.layerCount ?? null,
  runs: b.smoke ? b.smoke.runs : null,
  errorCode: b.errorCode,
  error: b.error,
  workerId: b.workerId,
  logTruncated: b.logTruncated,
  pinnedAt: iso(b.pinnedAt),
  pinnedBy: b.pinnedBy,
  imageRemovedAt: iso(b.imageRemovedAt),
  logRemovedAt: iso(b.logRemovedAt),
  logRetainedDays: b.logRetainedDays,
});

export const toBuildDetailDto = (
  b: BuildRowWithRelations & { steps: BuildStep[]; layers: Layer[]; smoke: SmokeResult | null },
): BuildDetailDto => {
  const mainLayers = b.layers.filter((l) => l.image === MAIN_IMAGE);
  const baseSize = mainLayers.filter((l) => l.isFromBase).reduce((sum, l) => sum + toNumber(l.size), 0);
  return {
    ...toBuildSummaryDto(b, {
      layerCount: mainLayers.length ? mainLayers.filter((l) => !l.isEmpty).length : 0,
      baseSize,
    }),
    ...(mainLayers.length ? {} : { layerCount: null, baseSize: null }),
    settings: maskSettings((b.settings ?? {}) as Record<string, unknown>),
    engineVersion: b.engineVersion,
    storageDriver: b.storageDriver,
    buildImageId: b.buildImageId,
    logLines: b.logLines,
    phases: parseBuildPhases(b.phases),
    steps: [...b.steps].sort((x, y) => x.position - y.position).map(toStepDto),
    layers: [...b.layers].sort((x, y) => x.image.localeCompare(y.image) || x.position - y.position).map(toLayerDto),
    smoke: b.smoke ? toSmokeDto(b.smoke) : null,
  };
};
