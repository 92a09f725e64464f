// A build's image contents: the analysis job's state and results, and the per-layer indexes
// (cached by diff_id) its final filesystem is merged from.
// STUB of the read side (issue 11): the content-core helper implements storage; the UI,
// API, reports and CLI read only through these two functions.
import "server-only";
import { AppError } from "@/lib/errors";
import type {
  ContentFinding,
  FinalFilesystem,
  LayerStats,
  PackageRecord,
  UnownedGroup,
  WasteReport,
} from "@/lib/content/types";

export type ContentAnalysisStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";

export type ContentLayerDto = {
  /** Position among the image's non-empty layers, 0 = lowest (the `layer` of FinalEntry). */
  index: number;
  diffId: string;
  isFromBase: boolean;
  /** True when this analysis found the layer already indexed and only drained its stream. */
  reused: boolean;
  stats: LayerStats;
};

export type ContentAnalysisDto = {
  buildId: string;
  /** "main" (the image that ships) or "build" (a builder-pattern build image). */
  image: string;
  status: ContentAnalysisStatus;
  progress: { bytesRead: number; bytesTotal: number | null; layersDone: number; layersTotal: number | null };
  error: { code: string; message: string } | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Null until SUCCEEDED. */
  result: {
    files: number;
    dirs: number;
    symlinks: number;
    fileBytes: number;
    layers: ContentLayerDto[];
    packages: PackageRecord[];
    unowned: UnownedGroup[];
    findings: ContentFinding[];
    waste: WasteReport;
  } | null;
};

/** The newest analysis of the build's image, or null when none was queued (e.g. a failed build). */
export const findContentAnalysis = async (_buildId: string, _image = "main"): Promise<ContentAnalysisDto | null> => null;

/** The build's final filesystem merged from its stored layer indexes; NOT_FOUND without a finished analysis. */
export const getFinalFilesystem = async (buildId: string, _image = "main"): Promise<FinalFilesystem> => {
  throw new AppError("NOT_FOUND", `build ${buildId} has no content analysis`);
};
