// Copies a path out of an image (builder pattern) through a created, never-started
// container: the engine's archive endpoint returns it as a tar stream.
import "server-only";
import type Docker from "dockerode";
import { getDocker } from "@/lib/docker/client";
import { engineMessage, isEngineNotFound, toEngineAppError } from "@/lib/docker/engine-error";
import { AppError } from "@/lib/errors";

export const exportPathFromImage = async (
  imageId: string,
  path: string,
  options: { docker?: Docker; labels?: Record<string, string> } = {},
): Promise<{ tar: NodeJS.ReadableStream; cleanup: () => Promise<void> }> => {
  const docker = options.docker ?? getDocker();
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: imageId,
      Cmd: ["true"],
      Labels: { "layerboard.artifact": "1", ...options.labels },
      HostConfig: { NetworkMode: "none" },
    });
  } catch (error) {
    throw toEngineAppError(error, `build image ${imageId}`);
  }
  const cleanup = () => container.remove({ force: true }).catch(() => undefined);
  try {
    const tar = await container.getArchive({ path });
    return { tar, cleanup };
  } catch (error) {
    await cleanup();
    // 404 here: the build image has no such path, a mistake in the variant, not in the engine.
    if (isEngineNotFound(error)) throw new AppError("BUILD_FAILED", `artifactPath: the build image has no ${path} (${engineMessage(error)})`);
    throw toEngineAppError(error, `copying ${path} out of the build image`);
  }
};
