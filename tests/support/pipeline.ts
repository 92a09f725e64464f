// Helpers for the pipeline integration tests: the real engine through the docker CLI, real
// route handlers with a real API token, build projects in temp directories, child workers.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
// lib modules read the environment lazily (on first use), so importing them here is safe.
import { db } from "@/lib/db";
import { createUser } from "@/lib/data/users";
import { createApiToken } from "@/lib/data/api-tokens";
import type { Role } from "@/lib/auth/roles";
import type { BuildStatus } from "@/lib/types";

export const REPO = path.resolve(".");
export const BASE_IMAGE = "layerboard/bookworm-base:local";
export const runId = () => randomBytes(4).toString("hex");

const execFileP = promisify(execFile);

/** Sets LAYERBOARD_CONTEXT_ROOTS to the examples plus a fresh temp root; call before getEnv() is first used. */
export const useTempContextRoot = (): string => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lb-it-"));
  process.env.LAYERBOARD_CONTEXT_ROOTS = [path.join(REPO, "examples"), root].join(path.delimiter);
  return root;
};

export const docker = async (args: string[], host?: string): Promise<string> => {
  const { stdout } = await execFileP("docker", host ? ["-H", host, ...args] : args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
};

export const imageExists = async (ref: string, host?: string): Promise<boolean> =>
  docker(["image", "inspect", "-f", "{{.Id}}", ref], host).then(
    () => true,
    () => false,
  );

export const removeImages = async (refs: Array<string | null | undefined>, host?: string) => {
  for (const ref of refs) if (ref) await docker(["rmi", "-f", ref], host).catch(() => undefined);
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns something truthy; throws with `what` on timeout. */
export const waitFor = async <T>(what: string, check: () => Promise<T> | T, timeoutMs = 60_000, intervalMs = 100): Promise<NonNullable<T>> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
};

/** Processes whose command line contains `marker`: RUN steps run in this machine's PID namespace. */
export const processesMatching = (marker: string): string[] =>
  fs.readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
    } catch {
      return false;
    }
  });

/** Writes `files` into a new directory `name` under `root`. */
export const writeContext = (root: string, name: string, files: Record<string, string>): string => {
  const dir = path.join(root, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
};

export type RouteHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

export const callRoute = async <P = Record<string, string>>(
  handler: RouteHandler<P>,
  options: { method?: string; url: string; token?: string; body?: unknown; rawBody?: string; params?: P; headers?: Record<string, string>; signal?: AbortSignal },
): Promise<Response> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`http://localhost${options.url}`, {
    method: options.method ?? "GET",
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    signal: options.signal,
  });
  return handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
};

export type ChildWorker = {
  child: ChildProcess;
  pid: number;
  /** The worker id it printed once it was taking builds. */
  id: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * `npm run worker` as a child process, run by node itself (no tsx launcher in between), so
 * that the child's pid is the worker's pid and `kill -9` really kills the worker.
 */
export const startChildWorker = async (env: Record<string, string | undefined> = {}): Promise<ChildWorker> => {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const id = await waitFor(
    "the child worker to start",
    () => {
      if (hasExited) throw new Error(`the child worker exited early:\n${output}`);
      return /\[worker (\S+)\] taking builds/.exec(output)?.[1];
    },
    60_000,
  );
  return { child, pid: child.pid!, id, output: () => output, exited };
};

export const stopChildWorker = async (worker: ChildWorker | undefined) => {
  if (!worker || worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill("SIGTERM");
  const done = await Promise.race([worker.exited.then(() => true), sleep(20_000).then(() => false)]);
  if (!done) worker.child.kill("SIGKILL");
};

// ---- database-backed helpers ----

export const createToken = async (role: Role = "ADMIN"): Promise<string> => {
  const suffix = runId();
  const user = await createUser({ email: `it-${suffix}@example.test`, name: `it ${suffix}`, password: `pw-${suffix}-${suffix}`, role });
  return (await createApiToken({ name: `it ${suffix}`, role, createdById: user.id })).token;
};

type VariantFields = {
  name: string;
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  smokeCommand?: string[];
  noCache?: boolean;
};

/** A DIRECTORY project at `dir` (absolute) with the given variants, written straight to the database. */
export const createDirectoryProject = async (slug: string, dir: string, variants: VariantFields[]) => {
  const project = await db.project.create({
    data: {
      slug,
      name: slug,
      contextKind: "DIRECTORY",
      contextPath: dir,
      variants: {
        create: variants.map((variant, position) => ({
          name: variant.name,
          dockerfile: variant.dockerfile ?? "Dockerfile",
          buildArgs: variant.buildArgs ?? {},
          smokeCommand: variant.smokeCommand,
          noCache: variant.noCache ?? false,
          position,
        })),
      },
    },
    include: { variants: { orderBy: { position: "asc" } } },
  });
  return project;
};

export const FINISHED: BuildStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"];

export const waitForBuild = async (id: string, statuses: BuildStatus[] = FINISHED, timeoutMs = 300_000) =>
  waitFor(
    `build ${id} to be ${statuses.join("/")}`,
    async () => {
      const build = await db.build.findUniqueOrThrow({ where: { id } });
      return statuses.includes(build.status) ? build : null;
    },
    timeoutMs,
    200,
  );

export type SecondEngine = { host: string; dir: string; stop: () => Promise<void> };

/**
 * A second dockerd on this machine, under a fresh short /tmp directory (unix socket paths are
 * limited to 108 bytes), managing its own containerd, with the base image loaded. It runs in
 * its own network namespace: a dockerd started with `--bridge none` deletes any interface
 * named docker0 at start-up, which in the host's namespace is the main engine's bridge.
 * Builds on it need network mode `host` (loopback only).
 */
export const startSecondEngine = async (): Promise<SecondEngine> => {
  const dir = fs.mkdtempSync("/tmp/lbe-");
  const host = `unix://${path.join(dir, "docker.sock")}`;
  const log = fs.openSync(path.join(dir, "dockerd.log"), "a");
  const child = spawn(
    "unshare",
    ["--net", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', "dockerd",
      "--data-root", path.join(dir, "data"), "--exec-root", path.join(dir, "exec"), "--pidfile", path.join(dir, "docker.pid"),
      "-H", host, "--bridge", "none", "--iptables=false", "--ip-masq=false"],
    { detached: true, stdio: ["ignore", log, log] },
  );
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      if (!(await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]))) killGroup("SIGKILL");
      await exited;
    }
    killGroup("SIGKILL"); // its containerd, should it outlive dockerd
    for (const pid of processesMatching(path.join(dir, "exec"))) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone
      }
    }
    await execFileP("sh", ["-c", `umount -R ${path.join(dir, "data")} 2>/dev/null; rm -rf ${dir}`]).catch(() => undefined);
  };
  try {
    await waitFor("the second dockerd to answer", async () => {
      if (child.exitCode !== null) throw new Error(`dockerd exited ${child.exitCode}: ${fs.readFileSync(path.join(dir, "dockerd.log"), "utf8").slice(-2000)}`);
      return docker(["version", "--format", "{{.Server.Version}}"], host).then(() => true, () => false);
    }, 60_000, 250);
    await execFileP("sh", ["-c", `docker save ${BASE_IMAGE} | docker -H ${host} load -q`], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, dir, stop };
};

export const removeDir = (dir: string) => fs.rmSync(dir, { recursive: true, force: true });
