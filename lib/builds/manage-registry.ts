// Saves a project's registry target with its password sealed; what callers get back never holds it.
import "server-only";
import { getProject } from "@/lib/data/projects";
import { findRegistryTarget, saveRegistryTarget, toRegistryTargetView, type RegistryTargetView } from "@/lib/data/registry";
import { sealSecret } from "@/lib/notifications/secret-box";
import { AppError } from "@/lib/errors";
import { isLoopbackHost } from "@/lib/registry/reference";
import type { RegistryTargetInput } from "@/lib/validations/registry";

export const getRegistryTargetView = async (projectIdOrSlug: string): Promise<RegistryTargetView | null> => {
  const project = await getProject(projectIdOrSlug);
  return toRegistryTargetView(await findRegistryTarget(project.id));
};

export const updateRegistryTarget = async (projectIdOrSlug: string, input: RegistryTargetInput | null): Promise<RegistryTargetView | null> => {
  const project = await getProject(projectIdOrSlug);
  if (input && input.password && !input.username) throw new AppError("VALIDATION", "a registry password needs a username");
  if (input && input.insecure && isLoopbackHost(input.host)) input = { ...input, insecure: false };
  await saveRegistryTarget(
    project.id,
    input && {
      host: input.host,
      repository: input.repository,
      username: input.username || null,
      insecure: input.insecure,
      passwordCiphertext: input.password === undefined ? undefined : input.password ? sealSecret(input.password) : null,
    },
  );
  return toRegistryTargetView(await findRegistryTarget(project.id));
};
