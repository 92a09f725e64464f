// A BuildKit session of Layerboard's own (issue 17 item 6): the gRPC services the engine calls
// back during a build — registry credentials for FROM pulls and build secrets for
// `RUN --mount=type=secret` — served over a hijacked `POST /session` connection.
import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type Docker from "dockerode";

/** Secret values by id (the `id=` of the mount). Never logged, never sent as build args. */
export type SessionSecrets = ReadonlyMap<string, Buffer>;

/** Credentials BuildKit gets when it pulls from `host` (host[:port], as in an image reference). */
export type SessionRegistry = { host: string; username: string | null; password: string | null };

export type SessionOptions = { secrets?: SessionSecrets; registries?: readonly SessionRegistry[]; signal?: AbortSignal };

export type BuildkitSession = {
  id: string;
  /** Ends the gRPC server and the connection; safe to call more than once. */
  close: () => void;
};

// The services served and announced in X-Docker-Expose-Session-Grpc-Method. BuildKit 0.8
// (engine 20.10) does not check that list (its `supported` map is only filled), newer ones do.
const METHODS = ["/grpc.health.v1.Health/Check", "/moby.filesync.v1.Auth/Credentials", "/moby.buildkit.secrets.v1.Secrets/GetSecret"];

// The .proto files sit next to this module in the source tree; a Next.js server bundle has no
// such directory next to its chunks, so they are found from the app root (next.config.js
// traces them into a standalone build).
const PROTO_DIR = path.join(process.cwd(), "lib", "docker", "proto");

type ServiceDefinitions = { health: grpc.ServiceDefinition; auth: grpc.ServiceDefinition; secrets: grpc.ServiceDefinition };
const cache = globalThis as unknown as { layerboardSessionServices?: ServiceDefinitions };

const loadServices = (): ServiceDefinitions => {
  if (cache.layerboardSessionServices) return cache.layerboardSessionServices;
  // keepCase: BuildKit's messages use Go field names (ID, Host, Username).
  const packageDefinition = protoLoader.loadSync(["health.proto", "auth.proto", "secrets.proto"], {
    includeDirs: [PROTO_DIR],
    keepCase: true,
    enums: String,
    defaults: true,
  });
  const loaded = grpc.loadPackageDefinition(packageDefinition) as unknown as {
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
    moby: { filesync: { v1: { Auth: grpc.ServiceClientConstructor } }; buildkit: { secrets: { v1: { Secrets: grpc.ServiceClientConstructor } } } };
  };
  return (cache.layerboardSessionServices = {
    health: loaded.grpc.health.v1.Health.service,
    auth: loaded.moby.filesync.v1.Auth.service,
    secrets: loaded.moby.buildkit.secrets.v1.Secrets.service,
  });
};

const openSessions = new Set<string>();

/** Sessions opened and not yet closed in this process (tests check a cancel leaves none). */
export const openSessionCount = (): number => openSessions.size;

// BuildKit asks with the host of the reference; Docker Hub is asked as registry-1.docker.io.
const normaliseHost = (host: string) => {
  const lower = host.trim().toLowerCase();
  return lower === "docker.io" || lower === "index.docker.io" ? "registry-1.docker.io" : lower;
};

/** The credentials for `host`: an empty answer (anonymous pull) when none are configured. */
export const credentialsFor = (registries: readonly SessionRegistry[], host: string): { Username: string; Secret: string } => {
  const match = registries.find((registry) => normaliseHost(registry.host) === normaliseHost(host));
  return match?.username ? { Username: match.username, Secret: match.password ?? "" } : { Username: "", Secret: "" };
};

const dialSession = (docker: Docker, id: string, signal: AbortSignal | undefined): Promise<Duplex> =>
  new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        method: "POST",
        path: "/session",
        hijack: true,
        abortSignal: signal,
        headers: {
          Upgrade: "h2c",
          "X-Docker-Expose-Session-Uuid": id,
          "X-Docker-Expose-Session-Name": "layerboard",
          // Only scopes BuildKit's local-context cache; a random one shares nothing between builds.
          "X-Docker-Expose-Session-Sharedkey": randomBytes(16).toString("hex"),
          "X-Docker-Expose-Session-Grpc-Method": METHODS,
        },
        statusCodes: { 101: true, 200: true, 400: "bad parameter", 500: "server error" },
      } as unknown as Parameters<Docker["modem"]["dial"]>[0],
      (error: unknown, socket: unknown) => (error ? reject(error) : resolve(socket as Duplex)),
    );
  });

/**
 * Opens a session on the engine and serves it until `close()`. Pass its id as `session=` in the
 * /build query. The caller must close it whatever happens to the build.
 */
export const openBuildkitSession = async (docker: Docker, options: SessionOptions = {}): Promise<BuildkitSession> => {
  const services = loadServices();
  const secrets = options.secrets ?? new Map<string, Buffer>();
  const registries = options.registries ?? [];
  const id = randomUUID();
  const socket = await dialSession(docker, id, options.signal);

  const server = new grpc.Server();
  server.addService(services.health, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, { status: "SERVING" }),
  });
  server.addService(services.auth, {
    Credentials: (call: grpc.ServerUnaryCall<{ Host: string }, unknown>, callback: grpc.sendUnaryData<unknown>) =>
      callback(null, credentialsFor(registries, call.request.Host)),
  });
  server.addService(services.secrets, {
    GetSecret: (call: grpc.ServerUnaryCall<{ ID: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const value = secrets.get(call.request.ID);
      // NOT_FOUND is what BuildKit turns into "secret ID not found" (and skips for optional mounts).
      if (value === undefined) callback({ code: grpc.status.NOT_FOUND, details: `secret ${call.request.ID} is not defined` });
      else callback(null, { data: value });
    },
  });
  server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket);
  openSessions.add(id);

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    openSessions.delete(id);
    server.forceShutdown();
    socket.destroy();
  };
  // The engine ending the connection (restart, its own timeout) ends the session too.
  socket.once("close", close);
  socket.on("error", () => close());
  return { id, close };
};
