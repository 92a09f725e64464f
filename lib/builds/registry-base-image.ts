// Item 7 of issue 17: a variant names a base image in the project's registry; it is pulled with
// the project's credentials before the build (so a `FROM` never needs a session), and its digest
// is recorded with the build, so the history shows when the base changed under the variant.
import "server-only";
import type Docker from "dockerode";
import { AppError } from "@/lib/errors";
import { recordBaseImage } from "@/lib/data/registry";
import { pullImage } from "@/lib/docker/registry-transfer";
import { splitImageReference, type RegistryTarget } from "@/lib/registry/reference";
import { credentialMasker, engineAuthFor } from "@/lib/builds/registry-target";
import { retry, type BuildRecorder } from "@/lib/builds/build-recorder";

/** `name` is `path:tag` inside the registry, or a full `host/path:tag` on the registry's host. */
export const registryBaseReference = (target: RegistryTarget, name: string): string => {
  const full = name.startsWith(`${target.host}/`) ? name : `${target.host}/${name.replace(/^\/+/, "")}`;
  const parts = splitImageReference(full);
  if (!parts || parts.host !== target.host) throw new AppError("VALIDATION", `the base image ${name} is not an image reference in ${target.host}`);
  return full.includes(":", target.host.length + 1) || full.includes("@") ? full : `${full}:latest`;
};

export const pullRegistryBaseImage = async (input: {
  buildId: string;
  name: string;
  target: RegistryTarget | null;
  docker: Docker;
  recorder: BuildRecorder;
  signal?: AbortSignal;
}): Promise<string> => {
  if (!input.target) throw new AppError("VALIDATION", `the variant's base image ${input.name} needs a registry on the project`);
  const mask = credentialMasker(input.target);
  const reference = registryBaseReference(input.target, input.name);
  input.recorder.log(`[layerboard] pulling the base image ${reference}`, "system");
  try {
    const pulled = await pullImage(reference, {
      docker: input.docker,
      auth: engineAuthFor(input.target),
      signal: input.signal,
      onLine: (line) => input.recorder.log(`[pull] ${mask(line)}`, "stdout"),
    });
    await retry(() => recordBaseImage(input.buildId, reference, pulled.digest));
    input.recorder.log(`[layerboard] base image ${reference}${pulled.digest ? `@${pulled.digest}` : ""}`, "system");
    return reference;
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `pulling the base image ${reference} failed: ${mask(error.message)}`);
    throw error;
  }
};
