// After a successful build and smoke run: push the image to the project's registry, read the
// manifest back and record its digest and each layer's compressed size and media type. Never
// throws: a failed push is recorded ("pushed: failed" with the registry's message) and the
// build still succeeds.
import "server-only";
import type Docker from "dockerode";
import { isAppError } from "@/lib/errors";
import { recordPush, saveCompressedLayers } from "@/lib/data/registry";
import { imageDiffIds, pushImage, untagImage } from "@/lib/docker/registry-transfer";
import { readManifest } from "@/lib/registry/registry-client";
import { pushTagFor, repositoryPathFor, type RegistryTarget } from "@/lib/registry/reference";
import { credentialMasker, engineAuthFor } from "@/lib/builds/registry-target";
import { retry, type BuildRecorder } from "@/lib/builds/build-recorder";

export type PushInput = {
  buildId: string;
  imageId: string;
  projectSlug: string;
  variantName: string;
  revision: string | null;
  target: RegistryTarget;
  docker: Docker;
  recorder: BuildRecorder;
  signal?: AbortSignal;
};

export const pushBuildImage = async (input: PushInput): Promise<{ ok: boolean; ref: string }> => {
  const { target, recorder, docker } = input;
  const mask = credentialMasker(target);
  const repository = `${target.host}/${repositoryPathFor(target, input.projectSlug)}`;
  const tag = pushTagFor(input.variantName, input.revision, input.buildId);
  const ref = `${repository}:${tag}`;
  recorder.log(`[layerboard] pushing ${ref}`, "system");
  try {
    const digest = await pushImage(input.imageId, repository, tag, {
      docker,
      auth: engineAuthFor(target),
      signal: input.signal,
      onLine: (line) => recorder.log(`[push] ${mask(line)}`, "stdout"),
    });
    await untagImage(docker, ref);
    const manifest = await readManifest(target, repositoryPathFor(target, input.projectSlug), digest);
    const diffIds = await imageDiffIds(docker, input.imageId);
    if (diffIds.length !== manifest.layers.length)
      throw new Error(`the manifest lists ${manifest.layers.length} layers, the image has ${diffIds.length}`);
    await retry(() =>
      saveCompressedLayers(
        input.buildId,
        "main",
        manifest.layers.map((layer, index) => ({ diffId: diffIds[index], size: layer.size, digest: layer.digest, mediaType: layer.mediaType })),
        "MANIFEST",
      ),
    );
    await retry(() => recordPush(input.buildId, { status: "PUSHED", ref, digest: manifest.digest, error: null }));
    const total = manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
    recorder.log(`[layerboard] pushed ${ref}@${manifest.digest}: ${manifest.layers.length} layers, ${total} bytes compressed`, "system");
    return { ok: true, ref };
  } catch (error) {
    await untagImage(docker, ref);
    const message = mask(error instanceof Error ? error.message : String(error));
    const code = isAppError(error) ? error.code : "REGISTRY_FAILED";
    recorder.log(`[layerboard] push failed (${code}): ${message}`, "stderr");
    await retry(() => recordPush(input.buildId, { status: "FAILED", ref, digest: null, error: `${code}: ${message}`.slice(0, 2000) })).catch(() => undefined);
    return { ok: false, ref };
  }
};
