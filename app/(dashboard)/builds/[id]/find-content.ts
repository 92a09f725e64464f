// The build page's content data: the analysis of the shipped image, the treemap's first
// level once it succeeded, and each content layer's history position and instruction ("layer 3: RUN …").
import "server-only";
import { MAIN_IMAGE } from "@/lib/layer-images";
import { toErrorInfo } from "@/lib/errors";
import { findContentState, getContentTree } from "@/lib/data/content-views";
import { nullIfNotFound } from "@/lib/data/not-found";
import type { BuildDetailDto } from "@/lib/types";

export const findBuildContent = async (build: BuildDetailDto) => {
  const analysis = await nullIfNotFound(findContentState(build.id, MAIN_IMAGE));
  // Content layer i is the image's i-th non-empty history entry.
  const layers = build.layers
    .filter((l) => l.image === MAIN_IMAGE && !l.isEmpty)
    .sort((a, b) => a.position - b.position)
    .map((l) => ({ position: l.position, instruction: l.instruction }));
  if (analysis?.status !== "SUCCEEDED") return { analysis, tree: null, treeError: null, layers };
  try {
    const tree = await getContentTree(build.id, { image: MAIN_IMAGE, path: "/", depth: 1, top: 12 });
    return { analysis, tree, treeError: null, layers };
  } catch (error) {
    return { analysis, tree: null, treeError: toErrorInfo(error, "api").message, layers };
  }
};
