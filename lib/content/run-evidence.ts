// Static "will it run?" evidence: missing shared libraries and interpreters (resolved the way
// ld.so does), dangling symlinks in the image's own layers, an entrypoint not on PATH.
// STUB (issue 11, the analysers' helper replaces it).
import type { ContentFinding, FinalFilesystem, ImageRuntimeConfig } from "@/lib/content/types";

export type RunEvidenceOptions = {
  /** Layers below this index belong to the base image; only own layers are examined. */
  firstOwnLayer: number;
  /** Names the package that provides a missing file elsewhere (another indexed image, e.g. the build stage). */
  providedBy?: (missing: string) => string | undefined;
};

export const findRunEvidence = (
  _fs: FinalFilesystem,
  _config: ImageRuntimeConfig,
  _options: RunEvidenceOptions,
): ContentFinding[] => [];
