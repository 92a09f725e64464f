// `npm run bench:load`: the full-size load run — N builds (LAYERBOARD_LOAD_BUILDS, default 50)
// across 2 worker processes on the local engine while 20 clients poll the API and follow SSE,
// on a private embedded Postgres — then the same N builds with the `docker build` CLI one after
// another, as a reference. Prints throughput, time in queue, API latency, SSE completeness.
// Then (issue 14) interactive p95 while 500 viewers follow the live logs of 4 running builds,
// against the same requests with nobody following. LAYERBOARD_LOAD_PHASES=builds or =streams
// runs one part only.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startPrivatePostgres } from "@/lib/database/private-postgres";
import { getLauncherEnv } from "@/lib/env";
import { recordBenchLine } from "@/lib/harness/bench-json";

const execFileP = promisify(execFile);
const builds = Number(process.env.LAYERBOARD_LOAD_BUILDS ?? 50);
const clients = Number(process.env.LAYERBOARD_LOAD_CLIENTS ?? 20);
const workerCount = Number(process.env.LAYERBOARD_LOAD_WORKERS ?? 2);
const { LAYERBOARD_BASE_IMAGE: baseImage } = getLauncherEnv();
const phases = new Set((process.env.LAYERBOARD_LOAD_PHASES ?? "builds,streams").split(","));
const streamViewers = Number(process.env.LAYERBOARD_LOAD_VIEWERS ?? 500);
// 500 viewers on one web process: above the default total of 200 live streams.
process.env.LAYERBOARD_MAX_STREAMS ??= String(streamViewers + 100);

// The database and the context roots first: lib modules read them once, on first use.
const postgres = await startPrivatePostgres();
process.env.DATABASE_URL = postgres.url;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "lb-bench-"));
process.env.LAYERBOARD_CONTEXT_ROOTS = [path.resolve("examples"), root].join(path.delimiter);
const { db } = await import("@/lib/db");
const { stopQueue } = await import("@/lib/builds/queue");
const { createUser } = await import("@/lib/data/users");
const { createApiToken } = await import("@/lib/data/api-tokens");
const { runLoad, formatLoadResult } = await import("@/lib/harness/run-load");
const { POST: postBuild } = await import("@/app/api/builds/route");
const { GET: getBuild } = await import("@/app/api/builds/[id]/route");
const { GET: getBuildEvents } = await import("@/app/api/builds/[id]/events/route");
const { GET: getProjects } = await import("@/app/api/projects/route");
const { POST: cancelBuild } = await import("@/app/api/builds/[id]/cancel/route");
const { runStreamLoad, formatStreamLoadResult } = await import("@/lib/harness/run-stream-load");

const id = randomBytes(4).toString("hex");
const images: string[] = [];
const log = (message: string) => console.log(`[bench] ${message}`);

try {
  log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores; database ${postgres.url}`);
  const user = await createUser({ email: `bench-${id}@example.test`, name: `bench ${id}`, password: `pw-${id}-${id}`, role: "BUILDER" });
  const { token } = await createApiToken({ name: `bench ${id}`, role: "BUILDER", createdById: user.id });
  const routes = { postBuild, getBuild, getBuildEvents };
  const followerTokens = await Promise.all(
    Array.from({ length: clients }, async (_, c) => (await createApiToken({ name: `bench ${id} viewer ${c + 1}`, role: "VIEWER", createdById: user.id })).token),
  );
  let problems = 0;
  if (phases.has("builds")) {
    const result = await runLoad({ routes, builds, clients, workers: workerCount, root, token, followerTokens, client: db, runId: id, log });
    images.push(...(await db.build.findMany({ where: { project: { slug: `load-${id}` } }, select: { imageTag: true } })).flatMap((b) => (b.imageTag ? [b.imageTag] : [])));
    console.log(formatLoadResult(result));
    if (result.problems.length) console.log(`PROBLEMS (${result.problems.length}):\n  ${result.problems.slice(0, 20).join("\n  ")}`);

    // Reference: the same Dockerfile, fresh build args (no cache hits), `docker build` one at a
    // time, then the same with a `docker run` of each image (Layerboard smoke-runs every image).
    // The CLI here has no buildx plugin, so it uses the classic builder (DOCKER_BUILDKIT=0).
    const dir = path.join(root, `load-${id}`);
    const cli = async (withRun: boolean) => {
      const t0 = Date.now();
      for (let i = 1; i <= builds; i++) {
        const tag = `layerboard-bench/ref:${id}-${withRun ? "r" : "b"}${i}`;
        images.push(tag);
        await execFileP("docker", ["build", "-q", "--build-arg", `LOAD_ID=ref-${id}-${withRun ? "r" : "b"}${i}`, "-t", tag, dir], {
          env: { ...process.env, DOCKER_BUILDKIT: "0" },
        });
        if (withRun) await execFileP("docker", ["run", "--rm", "--network", "none", tag]);
      }
      return Date.now() - t0;
    };
    log(`reference: ${builds} × docker build (CLI, sequential)…`);
    const cliBuildMs = await cli(false);
    log(`reference: ${builds} × docker build + docker run (CLI, sequential)…`);
    const cliRunMs = await cli(true);
    const perMin = (ms: number) => ((builds / ms) * 60_000).toFixed(1);
    console.log(
      [
        `reference docker build ×${builds} sequential: ${(cliBuildMs / 1000).toFixed(1)} s (${perMin(cliBuildMs)} builds/min); ` +
          `Layerboard wall time / CLI = ${(result.wallMs / cliBuildMs).toFixed(2)}`,
        `reference docker build + run ×${builds} sequential: ${(cliRunMs / 1000).toFixed(1)} s (${perMin(cliRunMs)} builds/min); ` +
          `Layerboard wall time / CLI = ${(result.wallMs / cliRunMs).toFixed(2)}`,
        `(base image ${baseImage}; Layerboard: BuildKit, image analysis and a smoke run per build, ${workerCount} workers)`,
      ].join("\n"),
    );
    // For `npm run bench`: workers' wall time against the CLI one build after another (target ≤ 1.1×).
    recordBenchLine({ bench: "load", line: `${builds} builds on ${workerCount} workers, wall time`, value: result.wallMs, unit: "ms", reference: cliBuildMs, referenceLabel: `${builds} × docker build, sequential`, target: { on: "ratio", max: 1.1 } });
    recordBenchLine({ bench: "load", line: `${builds} builds on ${workerCount} workers, wall time incl. smoke run`, value: result.wallMs, unit: "ms", reference: cliRunMs, referenceLabel: `${builds} × docker build + docker run, sequential`, target: null });
    recordBenchLine({ bench: "load", line: `GET /api/builds/:id p95 under load`, value: result.apiMs.p95, unit: "ms", reference: null, referenceLabel: "no CLI equivalent", target: null });
    problems += result.problems.length;
  }
  if (phases.has("streams")) {
    const viewerTokens = await Promise.all(
      Array.from({ length: Math.ceil(streamViewers / 8) }, async (_, c) => (await createApiToken({ name: `bench ${id} stream viewer ${c + 1}`, role: "VIEWER", createdById: user.id })).token),
    );
    const streams = await runStreamLoad({
      routes: { postBuild, getBuild, getProjects, getBuildEvents, cancelBuild },
      client: db,
      root,
      runId: id,
      token,
      viewerTokens,
      viewers: streamViewers,
      log,
    });
    console.log(formatStreamLoadResult(streams));
    problems += streams.errors;
  }
  process.exitCode = problems ? 1 : 0;
} finally {
  await stopQueue().catch(() => undefined);
  for (const tag of images) await execFileP("docker", ["rmi", "-f", tag]).catch(() => undefined);
  await db.$disconnect().catch(() => undefined);
  await postgres.remove();
  fs.rmSync(root, { recursive: true, force: true });
}
process.exit();
