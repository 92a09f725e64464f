// Build secrets of projects and variants (issue 17 item 6): sealed on the way in, only names and
// times on the way out; the pipeline alone opens them, for the build's BuildKit session.
import "server-only";
import { getProject, getVariantRecord } from "@/lib/data/projects";
import {
  deleteProjectSecret,
  deleteVariantSecret,
  findEffectiveSecretCiphertexts,
  findProjectSecrets,
  findVariantSecrets,
  saveProjectSecret,
  saveVariantSecret,
  type BuildSecretView,
} from "@/lib/data/build-secrets";
import { openSecret, sealSecret } from "@/lib/notifications/secret-box";
import { AppError } from "@/lib/errors";
import type { BuildSecretInput } from "@/lib/validations/build-secrets";

export type VariantSecretsView = { secrets: BuildSecretView[]; inherited: BuildSecretView[] };

const notDefined = (name: string) => new AppError("NOT_FOUND", `build secret "${name}" is not defined here`);

export const listProjectSecrets = async (projectIdOrSlug: string): Promise<BuildSecretView[]> => findProjectSecrets((await getProject(projectIdOrSlug)).id);

export const putProjectSecret = async (projectIdOrSlug: string, input: BuildSecretInput): Promise<BuildSecretView[]> => {
  const project = await getProject(projectIdOrSlug);
  await saveProjectSecret(project.id, input.name, sealSecret(input.value));
  return findProjectSecrets(project.id);
};

export const removeProjectSecret = async (projectIdOrSlug: string, name: string): Promise<BuildSecretView[]> => {
  const project = await getProject(projectIdOrSlug);
  if (!(await deleteProjectSecret(project.id, name))) throw notDefined(name);
  return findProjectSecrets(project.id);
};

/** The variant's own secrets, and the project's it inherits (those it does not override). */
export const listVariantSecrets = async (variantId: string): Promise<VariantSecretsView> => {
  const variant = await getVariantRecord(variantId);
  const [own, project] = await Promise.all([findVariantSecrets(variant.id), findProjectSecrets(variant.projectId)]);
  const names = new Set(own.map((secret) => secret.name));
  return { secrets: own, inherited: project.filter((secret) => !names.has(secret.name)) };
};

export const putVariantSecret = async (variantId: string, input: BuildSecretInput): Promise<VariantSecretsView> => {
  const variant = await getVariantRecord(variantId);
  await saveVariantSecret(variant.id, input.name, sealSecret(input.value));
  return listVariantSecrets(variant.id);
};

export const removeVariantSecret = async (variantId: string, name: string): Promise<VariantSecretsView> => {
  const variant = await getVariantRecord(variantId);
  if (!(await deleteVariantSecret(variant.id, name))) throw notDefined(name);
  return listVariantSecrets(variant.id);
};

/** For the pipeline only: the opened values a build of the variant mounts, by name. */
export const openBuildSecrets = async (projectId: string, variantId: string): Promise<Map<string, Buffer>> => {
  const sealed = await findEffectiveSecretCiphertexts(projectId, variantId);
  return new Map([...sealed].map(([name, ciphertext]) => [name, Buffer.from(openSecret(ciphertext), "utf8")]));
};
