// Pure: which build images the retention job removes from the engine and which it keeps (and
// why), from the builds that have images, what must be kept, and what is on the engine now.
export type RetentionBuild = {
  id: string;
  projectId: string;
  variantId: string;
  finished: boolean;
  queuedAt: Date;
  imageId: string | null;
  buildImageId: string | null;
  imageTag: string | null;
  pinned: boolean;
  imageRemoved: boolean;
  /** Built by a worker on the engine the job runs against (or by an unknown worker). */
  onThisEngine: boolean;
};

export type KeepReason = "recent" | "pinned" | "shared" | "baseline" | "unfinished" | "image-of-kept-build" | "used-by-container" | "other-engine";

export type ImageRemoval = {
  buildId: string;
  projectId: string;
  variantId: string;
  /** What to remove, in order: the build's own tags, or the bare image id when it has no tag left. */
  refs: string[];
  imageIds: string[];
};

export type ImagePlan = {
  remove: ImageRemoval[];
  /** Builds whose images are no longer on the engine: recorded as removed, nothing to do. */
  gone: string[];
  kept: Array<{ buildId: string; reason: KeepReason }>;
};

export type ImagePlanInput = {
  builds: RetentionBuild[];
  /** K per project (the project's setting or the global default). */
  keepPerVariant: (projectId: string) => number;
  /** Builds an active share link shows (a build link, or a build of a linked comparison). */
  sharedBuildIds: ReadonlySet<string>;
  /** Each comparison's baseline build. */
  baselineBuildIds: ReadonlySet<string>;
  engine: { images: ReadonlyMap<string, readonly string[]>; usedByContainers: ReadonlySet<string> };
};

const imageIdsOf = (build: RetentionBuild) => [build.imageId, build.buildImageId].filter((id): id is string => !!id);

// The build's own tags: the pipeline tags the image `imageTag` and a builder-pattern build image `imageTag-build`.
const ownTags = (build: RetentionBuild) => (build.imageTag ? [build.imageTag, `${build.imageTag}-build`] : []);

export const planImageRetention = (input: ImagePlanInput): ImagePlan => {
  const { builds, engine } = input;
  // The newest K builds with an image, per variant (removed ones count: "the last K builds").
  const byVariant = new Map<string, RetentionBuild[]>();
  for (const build of builds) {
    if (!imageIdsOf(build).length) continue;
    byVariant.set(build.variantId, [...(byVariant.get(build.variantId) ?? []), build]);
  }
  const recent = new Set<string>();
  for (const list of byVariant.values()) {
    list.sort((a, b) => b.queuedAt.getTime() - a.queuedAt.getTime() || b.id.localeCompare(a.id));
    for (const build of list.slice(0, input.keepPerVariant(list[0].projectId))) recent.add(build.id);
  }

  const reasonToKeep = (build: RetentionBuild): KeepReason | null => {
    if (!build.finished) return "unfinished";
    if (recent.has(build.id)) return "recent";
    if (build.pinned) return "pinned";
    if (input.sharedBuildIds.has(build.id)) return "shared";
    if (input.baselineBuildIds.has(build.id)) return "baseline";
    return null;
  };

  const kept: ImagePlan["kept"] = [];
  const candidates: RetentionBuild[] = [];
  for (const build of builds) {
    if (build.imageRemoved || !imageIdsOf(build).length) continue;
    const reason = reasonToKeep(build);
    if (reason) kept.push({ buildId: build.id, reason });
    else candidates.push(build);
  }
  // Cached rebuilds can produce the very same image id: an id a kept build references stays.
  const keptIds = new Set(kept.flatMap(({ buildId }) => imageIdsOf(builds.find((b) => b.id === buildId)!)));

  const remove: ImageRemoval[] = [];
  const gone: string[] = [];
  for (const build of candidates) {
    if (!build.onThisEngine) {
      kept.push({ buildId: build.id, reason: "other-engine" });
      continue;
    }
    const ids = imageIdsOf(build);
    if (ids.some((id) => keptIds.has(id))) {
      kept.push({ buildId: build.id, reason: "image-of-kept-build" });
      continue;
    }
    const present = ids.filter((id) => engine.images.has(id));
    if (present.some((id) => engine.usedByContainers.has(id))) {
      kept.push({ buildId: build.id, reason: "used-by-container" });
      continue;
    }
    if (!present.length) {
      gone.push(build.id);
      continue;
    }
    const refs = present.flatMap((id) => {
      const tags = engine.images.get(id) ?? [];
      const ours = tags.filter((tag) => ownTags(build).includes(tag));
      // Only someone else's tags left: the image is theirs now; Layerboard lets it be.
      return ours.length ? ours : tags.length ? [] : [id];
    });
    remove.push({ buildId: build.id, projectId: build.projectId, variantId: build.variantId, refs, imageIds: present });
  }
  return { remove, gone, kept };
};
