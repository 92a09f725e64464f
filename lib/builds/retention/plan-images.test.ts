import { describe, expect, it } from "vitest";
import { planImageRetention, type ImagePlanInput, type RetentionBuild } from "./plan-images";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute));
const build = (id: string, minute: number, fields: Partial<RetentionBuild> = {}): RetentionBuild => ({
  id,
  projectId: "p",
  variantId: "v",
  finished: true,
  queuedAt: at(minute),
  imageId: `sha256:${id}`,
  buildImageId: null,
  imageTag: `layerboard/p-v:${id}`,
  pinned: false,
  imageRemoved: false,
  onThisEngine: true,
  ...fields,
});

const engineWith = (builds: RetentionBuild[], usedByContainers: string[] = []): ImagePlanInput["engine"] => {
  const images = new Map<string, string[]>();
  for (const b of builds) if (b.imageId) images.set(b.imageId, [...(images.get(b.imageId) ?? []), b.imageTag!]);
  return { images, usedByContainers: new Set(usedByContainers) };
};

const plan = (builds: RetentionBuild[], extra: Partial<ImagePlanInput> = {}) =>
  planImageRetention({
    builds,
    keepPerVariant: () => 2,
    sharedBuildIds: new Set(),
    baselineBuildIds: new Set(),
    engine: engineWith(builds),
    ...extra,
  });

describe("planImageRetention", () => {
  it("keeps the newest K builds per variant and removes the older ones by their own tag", () => {
    const builds = [build("b1", 1), build("b2", 2), build("b3", 3), build("c1", 0, { variantId: "w" })];
    const result = plan(builds);
    expect(result.remove).toEqual([{ buildId: "b1", projectId: "p", variantId: "v", refs: ["layerboard/p-v:b1"], imageIds: ["sha256:b1"] }]);
    expect(result.kept.map((k) => `${k.buildId}:${k.reason}`).sort()).toEqual(["b2:recent", "b3:recent", "c1:recent"]);
  });

  it("keeps pinned, shared and baseline builds and an image id a kept build also references", () => {
    const builds = [
      build("b1", 1, { pinned: true }),
      build("b2", 2),
      build("b3", 3),
      build("b4", 4, { imageId: "sha256:b6" }),
      build("b5", 5),
      build("b6", 6),
      build("b0", 0),
    ];
    const result = plan(builds, { sharedBuildIds: new Set(["b2"]), baselineBuildIds: new Set(["b3"]) });
    expect(Object.fromEntries(result.kept.map((k) => [k.buildId, k.reason]))).toEqual({
      b1: "pinned",
      b2: "shared",
      b3: "baseline",
      b4: "image-of-kept-build",
      b5: "recent",
      b6: "recent",
    });
    expect(result.remove.map((r) => r.buildId)).toEqual(["b0"]);
  });

  it("never removes an image a container uses, nor one built on another engine, nor an unfinished build's", () => {
    const builds = [build("b1", 1), build("b2", 2, { onThisEngine: false }), build("b3", 3, { finished: false }), build("b4", 4), build("b5", 5)];
    const result = plan(builds, { keepPerVariant: () => 1, engine: engineWith(builds, ["sha256:b1"]) });
    expect(Object.fromEntries(result.kept.map((k) => [k.buildId, k.reason]))).toEqual({
      b1: "used-by-container",
      b2: "other-engine",
      b3: "unfinished",
      b5: "recent",
    });
    expect(result.remove.map((r) => r.buildId)).toEqual(["b4"]);
  });

  it("records an image already gone from the engine without removing anything, and removes a bare id when no tag is left", () => {
    const builds = [build("b1", 1), build("b2", 2), build("b3", 3), build("b4", 4)];
    const engine = { images: new Map([["sha256:b2", []], ["sha256:b3", ["layerboard/p-v:b3"]], ["sha256:b4", ["layerboard/p-v:b4"]]]), usedByContainers: new Set<string>() };
    const result = plan(builds, { engine });
    expect(result.gone).toEqual(["b1"]);
    expect(result.remove).toEqual([{ buildId: "b2", projectId: "p", variantId: "v", refs: ["sha256:b2"], imageIds: ["sha256:b2"] }]);
  });

  it("removes a builder-pattern build image by its -build tag, and skips builds already removed", () => {
    const builds = [
      build("b1", 1, { buildImageId: "sha256:b1-build" }),
      build("b0", 0, { imageRemoved: true }),
      build("b2", 2),
      build("b3", 3),
    ];
    const engine = engineWith(builds);
    (engine.images as Map<string, string[]>).set("sha256:b1-build", ["layerboard/p-v:b1-build"]);
    const result = plan(builds, { engine });
    expect(result.remove).toEqual([
      { buildId: "b1", projectId: "p", variantId: "v", refs: ["layerboard/p-v:b1", "layerboard/p-v:b1-build"], imageIds: ["sha256:b1", "sha256:b1-build"] },
    ]);
    expect(result.kept.find((k) => k.buildId === "b0")).toBeUndefined();
  });
});
