// The build to compare this one with: the latest successful build of the same variant
// queued before it (failed builds have no layers to diff).
import "server-only";
import { findBuilds } from "@/lib/data/builds";
import type { BuildDetailDto } from "@/lib/types";

export const findPreviousBuildId = async (build: BuildDetailDto): Promise<string | null> => {
  const candidates = await findBuilds({ variantId: build.variantId, status: "SUCCEEDED", limit: 50 });
  const queuedAt = Date.parse(build.queuedAt);
  return candidates.find((c) => c.id !== build.id && Date.parse(c.queuedAt) < queuedAt)?.id ?? null;
};
