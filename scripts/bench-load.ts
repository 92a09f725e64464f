// `npm run bench:load`: the full-size load run — N builds (LAYERBOARD_LOAD_BUILDS, default 50)
// across 2 worker processes on the local engine while 20 clients poll the API and follow SSE,
// on a private embedded Postgres — then the same N builds with the `docker build` CLI one after
// another, as a reference. Prints throughput, time in queue, API latency, SSE completeness.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileP = promisify(execFile);
const builds = Number(process.env.LAYERBOARD_LOAD_BUILDS ?? 50);
const clients = Number(process.env.LAYERBOARD_LOAD_CLIENTS ?? 20);
const workerCount = Number(process.env.LAYERBOARD_LOAD_WORKERS ?? 2);

// The database first: lib modules read DATABASE_URL lazily, on first use.
const { startPrivatePostgres, runLoad, formatLoadResult } = await import("../tests/support/fault-helpers");
const { createToken, runId, useTempContextRoot, BASE_IMAGE } = await import("../tests/support/pipeline");
const postgres = await startPrivatePostgres();
process.env.DATABASE_URL = postgres.url;
const root = useTempContextRoot();
const { db } = await import("@/lib/db");
const { stopQueue } = await import("@/lib/builds/queue");

const id = runId();
const images: string[] = [];
const log = (message: string) => console.log(`[bench] ${message}`);

try {
  log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores; database ${postgres.url}`);
  const token = await createToken("BUILDER");
  const result = await runLoad({ builds, clients, workers: workerCount, root, token, client: db, runId: id, log });
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
      `(base image ${BASE_IMAGE}; Layerboard: BuildKit, image analysis and a smoke run per build, ${workerCount} workers)`,
    ].join("\n"),
  );
  process.exitCode = result.problems.length ? 1 : 0;
} finally {
  await stopQueue().catch(() => undefined);
  for (const tag of images) await execFileP("docker", ["rmi", "-f", tag]).catch(() => undefined);
  await db.$disconnect().catch(() => undefined);
  await postgres.remove();
  fs.rmSync(root, { recursive: true, force: true });
}
process.exit();
