// A project's registry target with its password opened, for the pipeline only (never returned by
// the API), and the engine auth made of it.
import "server-only";
import { findRegistryTarget } from "@/lib/data/registry";
import { openSecret } from "@/lib/notifications/secret-box";
import type { RegistryTarget } from "@/lib/registry/reference";
import type { RegistryAuth } from "@/lib/docker/registry-transfer";

export const openRegistryTarget = async (projectId: string): Promise<RegistryTarget | null> => {
  const stored = await findRegistryTarget(projectId);
  if (!stored) return null;
  return {
    host: stored.host,
    repository: stored.repository,
    username: stored.username,
    password: stored.passwordCiphertext ? openSecret(stored.passwordCiphertext) : null,
    insecure: stored.insecure,
  };
};

export const engineAuthFor = (target: RegistryTarget): RegistryAuth => ({
  serveraddress: target.host,
  ...(target.username ? { username: target.username, password: target.password ?? "" } : {}),
});

/** Every form a credential could take in a message: the password and the basic-auth pair. */
export const credentialMasker = (target: RegistryTarget | null) => {
  const secrets = target?.password
    ? [target.password, Buffer.from(`${target.username ?? ""}:${target.password}`).toString("base64")].filter((secret) => secret.length >= 4)
    : [];
  return (text: string) => secrets.reduce((out, secret) => out.split(secret).join("****"), text);
};
