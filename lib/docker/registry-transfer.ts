// Pushes an image to a registry and pulls a base image from one, through the engine: the
// credentials go to the engine as its X-Registry-Auth header (dockerode's `authconfig`), never
// through a shell or a command line. Progress lines go to the caller (the build log).
import "server-only";
import type Docker from "dockerode";
import { AppError } from "@/lib/errors";
import { toEngineAppError } from "@/lib/docker/engine-error";
import { foldTransfer, transferLines, type TransferOutcome } from "@/lib/docker/transfer-progress";

export type RegistryAuth = { serveraddress: string; username?: string; password?: string };

type TransferOptions = { docker: Docker; auth: RegistryAuth; onLine?: (line: string) => void; signal?: AbortSignal };

const authconfigOf = (auth: RegistryAuth) =>
  auth.username ? { username: auth.username, password: auth.password ?? "", serveraddress: auth.serveraddress } : { serveraddress: auth.serveraddress };

// A refused push or pull: the engine's words name the cause ("unauthorized", "denied",
// "connection refused", "read-only mode"); the code says which kind it is.
const registryError = (message: string): AppError => {
  // A read-only registry (distribution's maintenance mode) answers uploads with a bare 405 that the engine fails to parse.
  if (/HTTP 405|405 Method Not Allowed|Method not allowed/i.test(message))
    return new AppError("REGISTRY_FAILED", `the registry refuses the push (HTTP 405: read-only, or it takes no pushes to this repository); the engine said: ${message}`);
  if (/HTTP 413|quota|too large/i.test(message)) return new AppError("REGISTRY_FAILED", `the registry refuses the push (quota or size limit): ${message}`);
  if (/unauthorized|authentication required|denied|forbidden|403|401/i.test(message)) return new AppError("REGISTRY_AUTH_FAILED", message);
  if (/connection refused|no such host|i\/o timeout|dial tcp|server gave HTTP response to HTTPS client|no route/i.test(message))
    return new AppError("REGISTRY_UNREACHABLE", message);
  return new AppError("REGISTRY_FAILED", message);
};

const follow = async (stream: AsyncIterable<Buffer>, onLine?: (line: string) => void): Promise<TransferOutcome> => {
  let outcome: TransferOutcome = { digest: null, error: null, lines: [] };
  for await (const line of transferLines(stream)) {
    const before = outcome.lines.length;
    outcome = foldTransfer(outcome, line);
    if (outcome.lines.length > before) onLine?.(outcome.lines[outcome.lines.length - 1]);
    // Only the last lines are kept in memory: a push of many layers stays bounded.
    if (outcome.lines.length > 200) outcome = { ...outcome, lines: outcome.lines.slice(-50) };
  }
  return outcome;
};

/** Tags `imageId` as `repository:tag` and pushes it; the manifest digest the engine reports. */
export const pushImage = async (imageId: string, repository: string, tag: string, options: TransferOptions): Promise<string> => {
  const { docker } = options;
  try {
    await docker.getImage(imageId).tag({ repo: repository, tag });
  } catch (error) {
    throw toEngineAppError(error, `image ${imageId}`);
  }
  let stream: AsyncIterable<Buffer>;
  try {
    stream = (await docker.getImage(`${repository}:${tag}`).push({ tag, authconfig: authconfigOf(options.auth), abortSignal: options.signal } as never)) as unknown as AsyncIterable<Buffer>;
  } catch (error) {
    throw registryError((error as Error).message);
  }
  const outcome = await follow(stream, options.onLine);
  if (outcome.error) throw registryError(outcome.error);
  if (!outcome.digest) throw new AppError("REGISTRY_FAILED", "the engine finished the push without a manifest digest");
  return outcome.digest;
};

/** Pulls `reference` (host/path:tag) and returns the repo digest the engine recorded for it. */
export const pullImage = async (reference: string, options: TransferOptions): Promise<{ imageId: string; digest: string | null }> => {
  const { docker } = options;
  let stream: AsyncIterable<Buffer>;
  try {
    stream = (await docker.pull(reference, { authconfig: authconfigOf(options.auth), abortSignal: options.signal } as never)) as unknown as AsyncIterable<Buffer>;
  } catch (error) {
    throw registryError((error as Error).message);
  }
  const outcome = await follow(stream, options.onLine);
  if (outcome.error) throw registryError(outcome.error);
  const inspect = await docker.getImage(reference).inspect();
  const repository = reference.replace(/[:@][^/]*$/, "");
  const digest = (inspect.RepoDigests ?? []).find((entry) => entry.startsWith(`${repository}@`))?.split("@")[1] ?? outcome.digest;
  return { imageId: inspect.Id, digest: digest ?? null };
};

/** Removes the registry tag again (the image itself stays under its build tag). */
export const untagImage = async (docker: Docker, reference: string): Promise<void> => {
  await docker.getImage(reference).remove({ noprune: true }).catch(() => undefined);
};

/** The image's diff_ids (RootFS.Layers), lowest first: the order of a pushed manifest's layers. */
export const imageDiffIds = async (docker: Docker, imageId: string): Promise<string[]> => {
  try {
    return (await docker.getImage(imageId).inspect()).RootFS?.Layers ?? [];
  } catch (error) {
    throw toEngineAppError(error, `image ${imageId}`);
  }
};
