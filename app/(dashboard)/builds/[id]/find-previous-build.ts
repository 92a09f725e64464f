// The build to compare this one with: see findPreviousSuccessfulBuild (one query for the
// build page and reports alike).
import "server-only";
import { findPreviousSuccessfulBuild } from "@/lib/data/builds";
import type { BuildDetailDto } from "@/lib/types";

export const findPreviousBuildId = async (build: BuildDetailDto): Promise<string | null> =>
  (await findPreviousSuccessfulBuild(build))?.id ?? null;
