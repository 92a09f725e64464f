// A project's registry target and what the pipeline learns from a registry (issue 17): the push
// of a build, its layers' compressed sizes, the registry base image's digest. The password is
// stored sealed (lib/notifications/secret-box.ts) and only the pipeline reads it back.
import "server-only";
import { db } from "@/lib/db";

export type StoredRegistryTarget = {
  host: string;
  repository: string;
  username: string | null;
  passwordCiphertext: string | null;
  insecure: boolean;
};

/** What the API and pages may show: never the password, only whether one is set. */
export type RegistryTargetView = { host: string; repository: string; username: string | null; hasPassword: boolean; insecure: boolean };

export const findRegistryTarget = async (projectId: string): Promise<StoredRegistryTarget | null> => {
  const row = await db.project.findUnique({
    where: { id: projectId },
    select: { registryHost: true, registryRepository: true, registryUsername: true, registryPasswordCiphertext: true, registryInsecure: true },
  });
  if (!row?.registryHost) return null;
  return {
    host: row.registryHost,
    repository: row.registryRepository ?? "",
    username: row.registryUsername,
    passwordCiphertext: row.registryPasswordCiphertext,
    insecure: row.registryInsecure,
  };
};

export const toRegistryTargetView = (target: StoredRegistryTarget | null): RegistryTargetView | null =>
  target && { host: target.host, repository: target.repository, username: target.username, hasPassword: !!target.passwordCiphertext, insecure: target.insecure };

/** `passwordCiphertext: undefined` keeps the stored one; null removes it. `null` target: no registry. */
export const saveRegistryTarget = async (
  projectId: string,
  target: (Omit<StoredRegistryTarget, "passwordCiphertext"> & { passwordCiphertext?: string | null }) | null,
): Promise<void> => {
  await db.project.update({
    where: { id: projectId },
    data: target
      ? {
          registryHost: target.host,
          registryRepository: target.repository,
          registryUsername: target.username,
          registryInsecure: target.insecure,
          ...(target.passwordCiphertext === undefined ? {} : { registryPasswordCiphertext: target.passwordCiphertext }),
        }
      : { registryHost: null, registryRepository: null, registryUsername: null, registryPasswordCiphertext: null, registryInsecure: false },
  });
};

export type PushRecord = { status: "PUSHED" | "FAILED" | "SKIPPED"; ref: string | null; digest: string | null; error: string | null };

export const recordPush = async (buildId: string, push: PushRecord): Promise<void> => {
  await db.build.update({
    where: { id: buildId },
    data: { pushStatus: push.status, pushRef: push.ref, pushDigest: push.digest, pushError: push.error, pushedAt: push.status === "PUSHED" ? new Date() : null },
  });
};

export type CompressedLayer = { diffId: string; size: number; digest: string | null; mediaType: string | null };
export type CompressedSource = "MANIFEST" | "ESTIMATED" | "CONTENT_STORE";

/**
 * Writes each layer's compressed size onto the build's Layer rows of `image` (matched by diff_id)
 * and the total onto the build (main image only). An estimate never overwrites the manifest's truth.
 * true: the build had no compressed total before (its compressed budget can be judged now).
 */
export const saveCompressedLayers = async (buildId: string, image: string, layers: CompressedLayer[], source: CompressedSource): Promise<boolean> =>
  db.$transaction(async (tx) => {
    const current = await tx.build.findUnique({ where: { id: buildId }, select: { compressedSource: true } });
    if (source === "ESTIMATED" && current?.compressedSource && current.compressedSource !== "ESTIMATED" && image === "main") return false;
    for (const layer of layers)
      await tx.layer.updateMany({
        where: { buildId, image, layerDigest: layer.diffId },
        data: { compressedSize: BigInt(layer.size), compressedDigest: layer.digest, compressedMediaType: layer.mediaType },
      });
    if (image !== "main") return false;
    await tx.build.update({
      where: { id: buildId },
      data: { compressedSize: BigInt(layers.reduce((total, layer) => total + layer.size, 0)), compressedSource: source },
    });
    return !current?.compressedSource;
  });

export const recordBaseImage = async (buildId: string, ref: string, digest: string | null): Promise<void> => {
  await db.build.update({ where: { id: buildId }, data: { baseImageRef: ref, baseImageDigest: digest } });
};

export const recordImageStore = async (buildId: string, imageStore: string, sizes: { totalSize?: number; contentSize?: number } = {}): Promise<void> => {
  await db.build.update({
    where: { id: buildId },
    data: {
      imageStore,
      ...(sizes.totalSize === undefined ? {} : { totalSize: BigInt(sizes.totalSize) }),
      ...(sizes.contentSize === undefined ? {} : { compressedSize: BigInt(sizes.contentSize), compressedSource: "CONTENT_STORE" }),
    },
  });
};
