// Helpers for the pipeline integration tests: the real engine through the docker CLI, real
// route handlers with a real API token, build projects in temp directories, child workers
// (the last two from lib/harness, which the benchmarks share).
import { execFile } from "node:child_process";
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
import { getLauncherEnv } from "@/lib/env";

export { callRoute } from "@/lib/harness/call-route";
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

export const removeDir = (dir: string) => fs.rmSync(dir, { recursive: true, force: true });
