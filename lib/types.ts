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
  /** Secret values shown as "***" (lib/builds/secret-args.ts). */
  buildArgs: Record<string, string>;
  /** Arg names the variant marks secret on top of the name patterns. */
  secretArgs: string[];
  smokeCommand: string[] | null;
  /** STRICT: the smoke container has no capabilities and a read-only root; RELAXED: the engine's defaults. */
  smokePrivileges: "STRICT" | "RELAXED";
  sizeBudgetBytes: number | null;
  regressionThresholdPct: number | null;
  builder: BuilderKind;
  noCache: boolean;
  runtimeDockerfile: string | null;
  artifactPath: string | null;
  position: number;
  /** Archived (issue 13): kept with its builds, no longer compared or listed. */
  archivedAt: string | null;
  /** Issue 17: which size the budget and threshold apply to; a base image in the project's registry. */
  budgetBasis: "DISK" | "COMPRESSED";
  registryBaseImage: string | null;
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
  /** Archived (issue 13): kept with its history, hidden from the overview and the lists. */
  archivedAt: string | null;
  variants: VariantDto[];
};

/** A smoke run's outcome: what lib/docker/smoke-run.ts measures, lib/data stores and pages show. */
export type SmokeDto = {
  /** What the engine ran: entrypoint + cmd as resolved by the engine (or from the image config when create failed). */
  command: string[];
  /** exitCode === 0 and not timed out. */
  runs: boolean;
  /** null when the container never ran (create or start refused). */
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  oomKilled: boolean;
  /** First lines of stdout+stderr, interleaved as the engine stored them. */
  outputHead: string;
  outputTail: string;
  /** The engine's message when create/start failed, or a short reason (timeout, OOM kill). */
  error: string | null;
};

/** One history entry of an image: what lib/docker/analyse-image.ts reads, lib/data stores and pages show. */
export type LayerDto = {
  /** Which image of the build (lib/layer-images.ts): the one that ships, or a builder-pattern build image. */
  image: string;
  /** 0 = oldest history entry. */
  position: number;
  createdBy: string;
  instruction: string;
  /** Bytes this entry added, exactly the history API's `Size` (uncompressed, on the engine's store). */
  size: number;
  /** The config's `empty_layer`: a metadata-only entry. A zero-byte entry may still be a real layer. */
  isEmpty: boolean;
  isFromBase: boolean;
  /** The layer's diff_id (sha256 of the uncompressed tar) for real layers, null for empty entries. */
  layerDigest: string | null;
  /** Issue 17: the layer as a registry stores it (the build's compressedSource says where it comes from). */
  compressedSize?: number | null;
};

/**
 * One build step with its times as `Time`: ISO strings here (StepDto), Dates in what
 * lib/docker/buildkit-trace.ts merges (BuildStep) and lib/data/build-logs.ts writes (StepInput).
 */
export type StepFields<Time = string> = {
  digest: string;
  name: string;
  stage: string | null;
  startedAt: Time | null;
  completedAt: Time | null;
  cached: boolean;
  error: string | null;
};

/** `image`: "build" for a builder-pattern build image's step, else "main" (lib/layer-images.ts). */
export type StepDto = StepFields & { position: number; image: string };

/**
 * Time a build spent outside BuildKit steps (issue 13): context, analysis, copy-out, smoke
 * run, content analysis; and the engine builds themselves, so the steps group under them.
 * `finishedAt` null: still running (or cut short when the build ended).
 */
export type BuildPhaseDto = { name: string; startedAt: string; finishedAt: string | null };

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
  /** Issue 17: compressed size of the shipped image and its source ("MANIFEST" | "ESTIMATED" | "CONTENT_STORE"). */
  compressedSize?: number | null;
  compressedSource?: string | null;
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
  /** Retention (issue 12): pinned builds keep their image; the record stays after its image or log is removed. */
  pinnedAt: string | null;
  pinnedBy: string | null;
  imageRemovedAt: string | null;
  logRemovedAt: string | null;
  logRetainedDays: number | null;
};

export type BuildDetailDto = BuildSummaryDto & {
  settings: Record<string, unknown>;
  engineVersion: string | null;
  storageDriver: string | null;
  buildImageId: string | null;
  logLines: number;
  /** Issue 13: where the time went outside BuildKit steps (lib/builds/build-phases.ts). */
  phases: BuildPhaseDto[];
  steps: StepDto[];
  layers: LayerDto[];
  smoke: SmokeDto | null;
};

/** `step`: the BuildKit step (StepDto.digest) that printed the line; null for Layerboard's own lines. */
export type LogLineDto = { seq: number; stream: string; text: string; at: string; step?: string | null };
