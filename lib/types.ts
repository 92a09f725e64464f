// Plain, serialisable shapes that cross from server to client (no BigInt, no Dates).
export type Strategy = "SINGLE_STAGE" | "MULTI_STAGE" | "VENV_COPIES" | "BUILDER_PATTERN" | "CUSTOM";
export type BuildStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "INTERRUPTED";
export type BuilderKind = "BUILDKIT" | "CLASSIC";
export type ContextKind = "DIRECTORY" | "GIT" | "ARCHIVE";

export const FINISHED_STATUSES: readonly BuildStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"];
export const isFinished = (status: BuildStatus) => FINISHED_STATUSES.includes(status);

export type VariantDto = {
  id: string;
  projectId: string;
  name: string;
  strategy: Strategy;
  dockerfile: string;
  target: string | null;
  buildArgs: Record<string, string>;
  smokeCommand: string[] | null;
  sizeBudgetBytes: number | null;
  regressionThresholdPct: number | null;
  builder: BuilderKind;
  noCache: boolean;
  runtimeDockerfile: string | null;
  artifactPath: string | null;
  position: number;
};

export type ProjectDto = {
  id: string;
  slug: string;
  name: string;
  description: string;
  contextKind: ContextKind;
  contextPath: string | null;
  gitUrl: string | null;
  gitRef: string | null;
  createdAt: string;
  variants: VariantDto[];
};

export type SmokeDto = {
  command: string[];
  runs: boolean;
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  oomKilled: boolean;
  outputHead: string;
  outputTail: string;
  error: string | null;
};

export type LayerDto = {
  image: string;
  position: number;
  createdBy: string;
  instruction: string;
  size: number;
  isEmpty: boolean;
  isFromBase: boolean;
  layerDigest: string | null;
};

export type StepDto = {
  digest: string;
  position: number;
  name: string;
  stage: string | null;
  startedAt: string | null;
  completedAt: string | null;
  cached: boolean;
  error: string | null;
};

export type BuildSummaryDto = {
  id: string;
  projectId: string;
  projectName: string;
  variantId: string;
  variantName: string;
  strategy: Strategy;
  comparisonId: string | null;
  status: BuildStatus;
  builder: BuilderKind;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  contextRevision: string | null;
  imageId: string | null;
  imageTag: string | null;
  totalSize: number | null;
  baseSize: number | null;
  buildImageSize: number | null;
  stepsTotal: number;
  stepsDone: number;
  cachedSteps: number;
  layerCount: number | null;
  runs: boolean | null;
  errorCode: string | null;
  error: string | null;
  workerId: string | null;
  logTruncated: boolean;
};

export type BuildDetailDto = BuildSummaryDto & {
  settings: Record<string, unknown>;
  engineVersion: string | null;
  storageDriver: string | null;
  buildImageId: string | null;
  logLines: number;
  steps: StepDto[];
  layers: LayerDto[];
  smoke: SmokeDto | null;
};

export type LogLineDto = { seq: number; stream: string; text: string; at: string };
