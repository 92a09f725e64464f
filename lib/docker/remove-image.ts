// Removes one image reference from the engine for the retention job, and lists what the job
// must know first: the images present and the images containers (running or stopped) use.
import "server-only";
import type Docker from "dockerode";
import { getDocker } from "@/lib/docker/client";
import { classifyEngineError, toEngineAppError } from "@/lib/docker/engine-error";

export type RemoveImageOutcome =
  /** The reference is gone: untagged, and the image deleted when it was its last tag. */
  | { kind: "removed"; deleted: string[]; untagged: string[] }
  /** The engine had no such image (removed by hand, or on another engine). */
  | { kind: "missing" }
  /** The engine refused (409): a container uses it, or a child image depends on it. */
  | { kind: "conflict"; message: string };

/**
 * `DELETE /images/{ref}` without force: a tag shared with other tags is only untagged, an image a
 * container uses (even a stopped one) is refused with 409, never removed under it.
 */
export const removeImage = async (ref: string, docker: Docker = getDocker()): Promise<RemoveImageOutcome> => {
  try {
    const items = (await docker.getImage(ref).remove({ force: false, noprune: false })) as Array<{ Deleted?: string; Untagged?: string }>;
    return {
      kind: "removed",
      deleted: items.flatMap((item) => (item.Deleted ? [item.Deleted] : [])),
      untagged: items.flatMap((item) => (item.Untagged ? [item.Untagged] : [])),
    };
  } catch (error) {
    const failure = classifyEngineError(error);
    if (failure.kind === "http" && failure.status === 404) return { kind: "missing" };
    if (failure.kind === "http" && failure.status === 409) return { kind: "conflict", message: failure.message };
    throw toEngineAppError(error, `image ${ref}`);
  }
};

export type EngineImageUse = {
  /** Image ids (sha256:…) the engine holds, with their tags. */
  images: Map<string, string[]>;
  /** Image ids some container (any state) was created from. */
  usedByContainers: Set<string>;
};

/** What is on the engine now: `GET /images/json` and `GET /containers/json?all=1`. */
export const getEngineImageUse = async (docker: Docker = getDocker()): Promise<EngineImageUse> => {
  try {
    const [images, containers] = await Promise.all([docker.listImages({ all: false }), docker.listContainers({ all: true })]);
    return {
      images: new Map(images.map((image) => [image.Id, (image.RepoTags ?? []).filter((tag) => tag !== "<none>:<none>")])),
      usedByContainers: new Set(containers.map((container) => container.ImageID)),
    };
  } catch (error) {
    throw toEngineAppError(error, "listing images and containers");
  }
};
