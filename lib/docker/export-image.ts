// What the content analysis asks of the engine: an image's layers and runtime config, and its
// export (`GET /images/{id}/get`) as a stream. Engine 20.10 stages the whole export before the
// first byte (about as long as `docker save`); the stream is read once and never written to disk.
import "server-only";
import type Docker from "dockerode";
import { isEngineNotFound, toEngineAppError } from "@/lib/docker/engine-error";
import { AppError } from "@/lib/errors";
import type { ImageRuntimeConfig } from "@/lib/content/types";

export const IMAGE_GONE_MESSAGE = "image no longer on the engine";

export type ImageForContent = {
  imageId: string;
  /** RootFS.Layers: the diff_ids, lowest first. */
  diffIds: string[];
  /** Sum of the uncompressed layers (overlay2): the export's size give or take the tar headers. */
  size: number;
  config: ImageRuntimeConfig;
};

const gone = (imageId: string, error: unknown): never => {
  if (isEngineNotFound(error)) throw new AppError("NOT_FOUND", IMAGE_GONE_MESSAGE);
  throw toEngineAppError(error, `image ${imageId}`);
};

export const inspectImageForContent = async (docker: Docker, imageId: string): Promise<ImageForContent> => {
  let inspect: Docker.ImageInspectInfo;
  try {
    inspect = await docker.getImage(imageId).inspect();
  } catch (error) {
    return gone(imageId, error);
  }
  const config = inspect.Config ?? ({} as Docker.ImageInspectInfo["Config"]);
  const entrypoint = config.Entrypoint;
  return {
    imageId: inspect.Id,
    diffIds: inspect.RootFS?.Layers ?? [],
    size: inspect.Size,
    config: {
      env: config.Env ?? [],
      entrypoint: Array.isArray(entrypoint) ? (entrypoint.length ? [...entrypoint] : null) : entrypoint ? [entrypoint] : null,
      cmd: config.Cmd?.length ? [...config.Cmd] : null,
      workingDir: config.WorkingDir ?? "",
      user: config.User ?? "",
    },
  };
};

/** The export as a byte stream; destroy it to stop the engine early. */
export const exportImage = async (docker: Docker, imageId: string): Promise<NodeJS.ReadableStream & AsyncIterable<Buffer>> => {
  try {
    return (await docker.getImage(imageId).get()) as NodeJS.ReadableStream & AsyncIterable<Buffer>;
  } catch (error) {
    return gone(imageId, error);
  }
};
