// Reads manifests back from a registry (distribution API v2) with the project's credentials:
// basic auth, or a bearer token fetched from the realm the registry names. Bounded: a timeout and
// a size limit on every answer. Never logs or returns the credentials.
import "server-only";
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors";
import { MANIFEST_ACCEPT, parseAuthChallenge, parseManifest, type ImageManifest } from "@/lib/registry/manifest";
import { registryBaseUrl, type RegistryTarget } from "@/lib/registry/reference";

const TIMEOUT_MS = 15_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const readBounded = async (response: Response): Promise<string> => {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new AppError("REGISTRY_FAILED", `the registry's answer is larger than ${MAX_BODY_BYTES} bytes`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString("utf8");
};

const basicHeader = (target: RegistryTarget) =>
  target.username ? `Basic ${Buffer.from(`${target.username}:${target.password ?? ""}`).toString("base64")}` : null;

const request = async (url: string, headers: Record<string, string>) => {
  try {
    return await fetch(url, { headers, redirect: "follow", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new AppError("REGISTRY_UNREACHABLE", `the registry at ${new URL(url).host} does not answer: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
};

const bearerToken = async (target: RegistryTarget, challenge: { realm: string; service: string | null; scope: string | null }) => {
  const url = new URL(challenge.realm);
  if (challenge.service) url.searchParams.set("service", challenge.service);
  if (challenge.scope) url.searchParams.set("scope", challenge.scope);
  const basic = basicHeader(target);
  const response = await request(url.toString(), basic ? { authorization: basic } : {});
  if (!response.ok) throw new AppError("REGISTRY_AUTH_FAILED", `the registry's token service refused the credentials (HTTP ${response.status})`);
  const body = JSON.parse(await readBounded(response)) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new AppError("REGISTRY_AUTH_FAILED", "the registry's token service answered without a token");
  return `Bearer ${token}`;
};

/** GET with the credentials the registry asks for (one challenge round). */
const authorisedGet = async (target: RegistryTarget, path: string, headers: Record<string, string>) => {
  const url = `${registryBaseUrl(target)}${path}`;
  let response = await request(url, headers);
  if (response.status !== 401) return response;
  const challenge = parseAuthChallenge(response.headers.get("www-authenticate"));
  await response.body?.cancel();
  const authorization = challenge?.scheme === "bearer" ? await bearerToken(target, challenge) : basicHeader(target);
  if (!authorization) throw new AppError("REGISTRY_AUTH_FAILED", "the registry asks for credentials and the project has none");
  response = await request(url, { ...headers, authorization });
  if (response.status === 401 || response.status === 403)
    throw new AppError("REGISTRY_AUTH_FAILED", `the registry refused the credentials (HTTP ${response.status})`);
  return response;
};

/** The image manifest of `repository:reference` (a tag or a digest), with its digest. */
export const readManifest = async (target: RegistryTarget, repository: string, reference: string): Promise<ImageManifest> => {
  const response = await authorisedGet(target, `/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
  const body = await readBounded(response);
  if (!response.ok) throw new AppError("REGISTRY_FAILED", `the registry answered HTTP ${response.status} for ${repository}:${reference}: ${body.slice(0, 300)}`);
  const digest = response.headers.get("docker-content-digest") ?? `sha256:${createHash("sha256").update(body).digest("hex")}`;
  return parseManifest(body, digest, response.headers.get("content-type"));
};
