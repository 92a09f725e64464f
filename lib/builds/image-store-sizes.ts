// Records which image store the engine keeps; on the containerd store, the unpacked size (on disk)
// and the content size (compressed) from that store's own fields (lib/docker/image-store.ts).
// Never fails the build: a store that does not answer leaves the overlay2-style numbers.
import "server-only";
import type Docker from "dockerode";
import { recordImageStore } from "@/lib/data/registry";
import { readContainerdSizes } from "@/lib/docker/image-store";
import { inspectImageManifests } from "@/lib/docker/inspect-manifests";
import type { EngineInfo } from "@/lib/docker/engine-info";
import { retry, type BuildRecorder } from "@/lib/builds/build-recorder";

export const recordImageStoreSizes = async (buildId: string, imageId: string, engine: EngineInfo, docker: Docker, recorder: BuildRecorder): Promise<void> => {
  if (!engine.reachable) return;
  if (!engine.containerdImageStore) {
    await retry(() => recordImageStore(buildId, engine.storageDriver || "unknown"));
    return;
  }
  const sizes = await inspectImageManifests(docker, imageId)
    .then((inspect) => readContainerdSizes(inspect, { os: engine.os, arch: engine.arch }))
    .catch(() => null);
  await retry(() => recordImageStore(buildId, "containerd", sizes ? { totalSize: sizes.unpacked, contentSize: sizes.content } : {}));
  recorder.log(
    sizes
      ? `[layerboard] containerd image store: ${sizes.unpacked} bytes unpacked, ${sizes.content} bytes of content (compressed)`
      : "[layerboard] containerd image store: the engine reported no per-platform sizes",
    "system",
  );
};
