import { describe, expect, it } from "vitest";
import { detectImageStore, imageStoreLabel, readContainerdSizes } from "@/lib/docker/image-store";
import { CONTAINERD_IMAGE_INSPECT, CONTAINERD_INFO, OVERLAY2_INFO } from "@/lib/docker/__fixtures__/containerd-store";

describe("detectImageStore", () => {
  it("tells the containerd image store from overlay2", () => {
    expect(detectImageStore(CONTAINERD_INFO)).toEqual({ kind: "containerd", driver: "overlayfs" });
    expect(detectImageStore(OVERLAY2_INFO)).toEqual({ kind: "graphdriver", driver: "overlay2" });
    expect(detectImageStore({})).toEqual({ kind: "graphdriver", driver: "" });
  });
});

describe("readContainerdSizes", () => {
  it("reads the unpacked and the content size of the engine's platform, not the attestation or another platform", () => {
    expect(readContainerdSizes(CONTAINERD_IMAGE_INSPECT, { os: "linux", arch: "amd64" })).toEqual({ unpacked: 8_213_251, content: 3_987_495 });
  });

  it("has nothing to read on an overlay2 answer (no Manifests)", () => {
    expect(readContainerdSizes({ Id: "sha256:x", Size: 10 }, { os: "linux", arch: "amd64" })).toBeNull();
  });

  it("says which definition a number uses", () => {
    expect(imageStoreLabel("containerd")).toMatch(/content store/);
    expect(imageStoreLabel("overlay2")).toMatch(/uncompressed layers/);
  });
});
