// Runs one image build on the engine and streams its events; the build step of the pipeline.
import "server-only";
import type { IncomingMessage } from "node:http";
import { addAbortSignal } from "node:stream";
import type Docker from "dockerode";
import { getDocker } from "@/lib/docker/client";
import { readBuildEvents, type BuildEvent } from "@/lib/docker/build-stream";
import { classifyEngineError, engineUnavailable } from "@/lib/docker/engine-error";
import { AppError } from "@/lib/errors";
import { toBuildFailure } from "@/lib/docker/build-failure";
import { openBuildkitSession, type BuildkitSession, type SessionRegistry, type SessionSecrets } from "@/lib/docker/buildkit-session";

export type BuildImageOptions = {
  docker?: Docker;
  // A tar of the build context (packed by the caller, .dockerignore applied). Consumed.
  context: NodeJS.ReadableStream;
  dockerfile: string;
  target?: string | null;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  tag: string;
  labels?: Record<string, string>;
  builder: "BUILDKIT" | "CLASSIC";
  networkMode?: string;
  signal?: AbortSignal;
  // BuildKit only (the classic builder has no session): `RUN --mount=type=secret,id=…` sources and
  // the credentials served for FROM pulls. Served through the build's session, never as build args.
  secrets?: SessionSecrets;
  registries?: readonly SessionRegistry[];
  onEvent: (event: BuildEvent) => void | Promise<void>;
};

const cancelled = () => new AppError("BUILD_CANCELLED", "build cancelled");

const toAppError = (error: unknown, signal: AbortSignal | undefined): AppError => {
  if (error instanceof AppError) return error;
  if (signal?.aborted) return cancelled();
  const failure = classifyEngineError(error);
  // The engine answered with an HTTP error (bad parameters, unparsable Dockerfile on the classic builder…).
  if (failure.kind === "http") return toBuildFailure(failure.message);
  if (failure.kind === "unreachable") return engineUnavailable(failure.reason);
  return new AppError("BUILD_FAILED", `build failed: ${failure.message}`);
};

// Builds the query of POST /build; undefined values would become `key=` in the query string.
const buildQuery = (options: BuildImageOptions, sessionId: string | null): Record<string, unknown> => {
  const query: Record<string, unknown> = {
    dockerfile: options.dockerfile,
    t: options.tag,
    version: options.builder === "BUILDKIT" ? "2" : "1",
    // Classic builder: also remove the container of a failed step (rm only covers successes).
    rm: true,
    forcerm: true,
  };
  if (options.target) query.target = options.target;
  if (options.buildArgs && Object.keys(options.buildArgs).length) query.buildargs = options.buildArgs;
  if (options.labels && Object.keys(options.labels).length) query.labels = options.labels;
  if (options.noCache) query.nocache = true;
  if (options.networkMode) query.networkmode = options.networkMode;
  if (sessionId) query.session = sessionId;
  return query;
};

// dockerode's buildImage opens a gRPC BuildKit session whenever version is "2", but it serves
// no health check (BuildKit drops it after a second) nor secrets, and it outlives an aborted
// build until the process exits. So the raw endpoint is dialled directly, with a session of
// our own (lib/docker/buildkit-session.ts) for BuildKit builds, and its body read as is.
const dialBuild = (docker: Docker, options: BuildImageOptions, sessionId: string | null): Promise<IncomingMessage> =>
  new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: "/build?",
        method: "POST",
        options: buildQuery(options, sessionId),
        file: options.context,
        abortSignal: options.signal,
        isStream: true,
        statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
      } as Parameters<Docker["modem"]["dial"]>[0],
      (error: unknown, response: unknown) =>
        error ? reject(error) : resolve(response as IncomingMessage),
    );
  });

// Carries an error thrown by the caller's onEvent past the engine-error mapping.
class HandlerFailure {
  constructor(readonly error: unknown) {}
}

const destroyContext = (context: NodeJS.ReadableStream) => {
  const stream = context as NodeJS.ReadableStream & { destroy?: () => void; readableEnded?: boolean };
  if (!stream.readableEnded) stream.destroy?.();
};

export const buildImage = async (options: BuildImageOptions): Promise<{ imageId: string }> => {
  const { signal, onEvent } = options;
  if (signal?.aborted) {
    destroyContext(options.context);
    throw cancelled();
  }
  const docker = options.docker ?? getDocker();

  let session: BuildkitSession | null = null;
  let response: IncomingMessage;
  try {
    if (options.builder === "BUILDKIT") session = await openBuildkitSession(docker, { secrets: options.secrets, registries: options.registries, signal });
    response = await dialBuild(docker, options, session?.id ?? null);
  } catch (error) {
    session?.close();
    destroyContext(options.context);
    throw toAppError(error, signal);
  }
  // docker-modem ties the signal to the request only; tie it to the body too so that an
  // abort mid-build ends the iteration below (closing the connection is what cancels the build).
  if (signal) addAbortSignal(signal, response);

  let imageId: string | null = null;
  let failure: string | null = null;
  try {
    for await (const event of readBuildEvents(response)) {
      if (event.type === "image") imageId = event.imageId;
      if (event.type === "error") failure = event.message;
      try {
        await onEvent(event);
      } catch (error) {
        throw new HandlerFailure(error);
      }
    }
  } catch (error) {
    // The caller's own failure (e.g. writing the log) is theirs to see unchanged.
    if (error instanceof HandlerFailure) throw error.error;
    throw toAppError(error, signal);
  } finally {
    // Stops the build in the engine if we leave early (onEvent threw, abort).
    if (!response.complete) response.destroy();
    destroyContext(options.context);
    // After the build's connection: the engine must not ask a closed session for a secret.
    session?.close();
  }

  if (failure !== null) throw toBuildFailure(failure);
  if (signal?.aborted) throw cancelled();
  if (!imageId) throw new AppError("BUILD_FAILED", "the engine ended the build without an image id or an error");
  return { imageId };
};
