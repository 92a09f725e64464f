// Copies a path out of an image (builder pattern) through a created, never-started
// container: the engine's archive endpoint returns it as a tar stream.
import "server-only";
import type Docker from "dockerode";
import { getDocker } from "@/lib/docker/client";

export const exportPathFromImage = async (
  imageId: string,
  path: string,
  options: { docker?: Docker; labels?: Record<string, string> } = {},
): Promise<{ tar: NodeJS.ReadableStream; cleanup: () => Promise<void> }> => {
  const docker = options.docker ?? getDocker();
  const container = await docker.createContainer({
    Image: imageId,
    Cmd: ["true"],
    Labels: { "layerboard.artifact": "1", ...options.labels },
    HostConfig: { NetworkMode: "none" },
  });
  const cleanup = () => container.remove({ force: true }).catch(() => undefined);
  try {
    const tar = await container.getArchive({ path });
    return { tar, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
};
