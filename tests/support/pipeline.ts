// Helpers for the pipeline integration tests: the set-up every file shares, the real engine
// through the docker CLI, real route handlers with a real API token, build projects in temp
// directories, child workers (the last two from lib/harness, which the benchmarks share).
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll } from "vitest";
// lib modules read the environment lazily (on first use), so importing them here is safe.
import { POST as postBuild } from "@/app/api/builds/route";
import { db } from "@/lib/db";
import { stopQueue } from "@/lib/builds/queue";
import { createUser } from "@/lib/data/users";
import { createApiToken } from "@/lib/data/api-tokens";
import type { Role } from "@/lib/auth/roles";
import type { BuildStatus } from "@/lib/types";
import { getLauncherEnv } from "@/lib/env";
import { callRoute } from "@/lib/harness/call-route";
import { createDirectoryProject as createDirectoryProjectIn, type VariantFields } from "@/lib/harness/directory-project";

export { callRoute };
export { startChildWorker, stopChildWorker, type ChildWorker } from "@/lib/harness/child-worker";

export const REPO = path.resolve(".");
/** The image the pipeline passes as BASE_IMAGE (LAYERBOARD_BASE_IMAGE). */
export const BASE_IMAGE = getLauncherEnv().LAYERBOARD_BASE_IMAGE;
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

// ---- database-backed helpers ----

export const createToken = async (role: Role = "ADMIN"): Promise<string> => {
  const suffix = runId();
  const user = await createUser({ email: `it-${suffix}@example.test`, name: `it ${suffix}`, password: `pw-${suffix}-${suffix}`, role });
  return (await createApiToken({ name: `it ${suffix}`, role, createdById: user.id })).token;
};

/** A DIRECTORY project at `dir` (absolute) with the given variants, written straight to the database. */
export const createDirectoryProject = (slug: string, dir: string, variants: VariantFields[]) => createDirectoryProjectIn(db, slug, dir, variants);

/** Queues a build of `variantId` through POST /api/builds; its id. */
export const queueBuild = async (token: string, variantId: string): Promise<string> => {
  const response = await callRoute(postBuild, { method: "POST", url: "/api/builds", token, body: { variantId } });
  if (response.status !== 201) throw new Error(`POST /api/builds answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { build: { id: string } }).build.id;
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

export const removeDir = (dir: string) => fs.rmSync(dir, { recursive: true, force: true });

export type PipelineRun = {
  /** The temp context root the file writes its build contexts under. */
  readonly root: string;
  /** Short and unique to this run: for slugs, markers and build args. */
  readonly id: string;
  /** An API token with the role asked for, once beforeAll has run. */
  token: string;
  /** Image tags to remove at the end (empty ones are skipped). */
  readonly images: Array<string | null | undefined>;
};

/**
 * What every pipeline test file sets up: a temp context root (LAYERBOARD_CONTEXT_ROOTS: call it
 * at the top of the file, before getEnv() is first used), a run id, an API token with `role`
 * when one is given and, after the tests, the queue stopped, `images` removed and the root
 * deleted. vitest runs afterAll hooks last registered first, so the file's own (workers,
 * engines) run before this clean-up.
 */
export const usePipelineRun = (role?: Role): PipelineRun => {
  const run: PipelineRun = { root: useTempContextRoot(), id: runId(), token: "", images: [] };
  if (role)
    beforeAll(async () => {
      run.token = await createToken(role);
    });
  afterAll(async () => {
    await stopQueue();
    await removeImages(run.images);
    removeDir(run.root);
  });
  return run;
};
