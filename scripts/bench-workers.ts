// `npm run bench:workers`: throughput with workers. N tiny builds (BENCH_WORKER_BUILDS, default 50;
// a distinct build arg each, so none is a cache hit of another) queued at once on
// BENCH_WORKERS (default 2) child worker processes, against the same N builds run by the docker
// CLI one after another (same builder: DOCKER_BUILDKIT=1 /usr/bin/docker for BuildKit,
// DOCKER_BUILDKIT=0 docker for classic), alternating A B for BENCH_ROUNDS rounds (default 3), on a
// private embedded Postgres. Checks every build ran exactly once, and says where the time went.
// Env: BENCH_BUILDER=BUILDKIT|CLASSIC, LAYERBOARD_BENCH_JSON=path. Figures only, never a pass/fail.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startPrivatePostgres } from "@/lib/database/private-postgres";
import { getLauncherEnv } from "@/lib/env";
import { appendBenchLines, median, printTable, ratioOf, type BenchLine } from "@/lib/harness/bench-json-lines";

const execFileP = promisify(execFile);
const BUILDS = Math.max(1, Number(process.env.BENCH_WORKER_BUILDS ?? 50));
const WORKERS = Math.max(1, Number(process.env.BENCH_WORKERS ?? 2));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const BUILDER = process.env.BENCH_BUILDER === "CLASSIC" ? "CLASSIC" : "BUILDKIT";
const { LAYERBOARD_BASE_IMAGE: baseImage } = getLauncherEnv();
const FINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"]);

const postgres = await startPrivatePostgres();
process.env.DATABASE_URL = postgres.url;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "lb-h16-bench-workers-"));
process.env.LAYERBOARD_CONTEXT_ROOTS = root;
const { db } = await import("@/lib/db");
const { stopQueue } = await import("@/lib/builds/queue");
const { startBuild } = await import("@/lib/builds/start-build");
const { createDirectoryProject } = await import("@/lib/harness/directory-project");
const { startChildWorker, stopChildWorker } = await import("@/lib/harness/child-worker");

const id = randomBytes(3).toString("hex");
const dir = path.join(root, "ctx");
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(
  path.join(dir, "Dockerfile"),
  [`FROM ${baseImage}`, "ARG LOAD_ID", 'RUN echo "load $LOAD_ID" > /load-id && for i in 1 2 3 4 5; do echo "line $i"; done', 'CMD ["cat", "/load-id"]', ""].join("\n"),
);
const cliTags: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => console.log(`[bench:workers] ${message}`);

// The CLI references: the same builds one after another, each with a fresh build arg; and the
// same again with a `docker run --rm` of each image, as Layerboard's pipeline smoke-runs each one.
const cliClient = BUILDER === "BUILDKIT" ? "/usr/bin/docker" : "docker";
const runCli = async (round: number, withRun: boolean) => {
  const start = performance.now();
  for (let i = 0; i < BUILDS; i += 1) {
    const name = `${id}-${round}-${i}${withRun ? "-run" : ""}`;
    const tag = `lb-h16-perf-ref:${name}`;
    cliTags.push(tag);
    await execFileP(cliClient, ["build", "-q", "--build-arg", `LOAD_ID=ref-${name}`, "-t", tag, dir], {
      env: { ...process.env, DOCKER_BUILDKIT: BUILDER === "BUILDKIT" ? "1" : "0" },
    });
    if (withRun) await execFileP("docker", ["run", "--rm", tag]);
  }
  return performance.now() - start;
};

type Breakdown = Record<string, number[]>;

const runWorkers = async (round: number, breakdown: Breakdown) => {
  const project = await createDirectoryProject(
    db,
    `lb-h16-perf-workers-${id}-${round}`,
    dir,
    Array.from({ length: BUILDS }, (_, i) => ({ name: `v${i + 1}`, buildArgs: { LOAD_ID: `${id}-${round}-${i + 1}` } })),
  );
  await db.variant.updateMany({ where: { projectId: project.id }, data: { builder: BUILDER } });
  const start = performance.now();
  const startedAt = new Date();
  const ids = await Promise.all(project.variants.map(async (variant) => (await startBuild(variant.id)).id));
  let rows = await db.build.findMany({ where: { id: { in: ids } } });
  while (rows.some((row) => !FINAL.has(row.status))) {
    await sleep(100);
    rows = await db.build.findMany({ where: { id: { in: ids } } });
  }
  const wallMs = performance.now() - start;

  // Exactly once: every build final and SUCCEEDED, one smoke result each, claimed by one worker.
  const problems: string[] = [];
  const smokes = await db.smokeResult.groupBy({ by: ["buildId"], where: { buildId: { in: ids } }, _count: true });
  for (const row of rows) if (row.status !== "SUCCEEDED") problems.push(`${row.id} ${row.status} ${row.errorCode ?? ""}`);
  if (smokes.length !== BUILDS || smokes.some((s) => s._count !== 1)) problems.push(`smoke results: ${smokes.length} builds with one`);
  const started = await db.logLine.groupBy({ by: ["buildId"], where: { buildId: { in: ids }, text: { startsWith: "[layerboard] building " } }, _count: true });
  if (started.some((s) => s._count !== 1) || started.length !== BUILDS) problems.push("a build was started more than once (or never)");

  // Where the time went, per build, from the recorded timestamps and the pipeline's own log lines.
  const byWorker = new Map<string, typeof rows>();
  for (const row of rows) byWorker.set(row.workerId ?? "?", [...(byWorker.get(row.workerId ?? "?") ?? []), row]);
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
    // First pick-up after the enqueue, then from one build's finish to the next one's claim (job fetch, claim).
    breakdown["pick-up (queue poll + claim)"].push(list[0].startedAt!.getTime() - startedAt.getTime());
    for (let i = 1; i < list.length; i += 1) breakdown["pick-up (queue poll + claim)"].push(list[i].startedAt!.getTime() - list[i - 1].finishedAt!.getTime());
  }
  for (const row of rows) {
    const lines = await db.logLine.findMany({ where: { buildId: row.id }, orderBy: { seq: "asc" }, select: { text: true, at: true, stream: true } });
    const at = (prefix: string) => lines.find((line) => line.text.startsWith(prefix))?.at.getTime();
    const building = at("[layerboard] building ");
    const image = at("[layerboard] image ");
    const smoke = at("[layerboard] smoke run");
    const lastEngine = [...lines].reverse().find((line) => line.stream !== "system" && (!image || line.at.getTime() <= image))?.at.getTime();
    if (!row.startedAt || !row.finishedAt || !building || !image || !smoke) continue;
    breakdown["context + engine info (claim → building)"].push(building - row.startedAt.getTime());
    breakdown["engine build (→ last engine line)"].push((lastEngine ?? building) - building);
    breakdown["analysis + record (→ image line)"].push(image - (lastEngine ?? building));
    breakdown["smoke run"].push(smoke - image);
    breakdown["finish (smoke result, status)"].push(row.finishedAt.getTime() - smoke);
  }
  // Content analyses (the image export) run after SUCCEEDED, beside the next builds.
  let contents = await db.contentAnalysis.findMany({ where: { buildId: { in: ids } } });
  const contentDeadline = Date.now() + 300_000;
  while (contents.some((c) => !c.finishedAt) && Date.now() < contentDeadline) {
    await sleep(250);
    contents = await db.contentAnalysis.findMany({ where: { buildId: { in: ids } } });
  }
  for (const c of contents) if (c.startedAt && c.finishedAt) breakdown["content analysis (export, after the result)"].push(c.finishedAt.getTime() - c.startedAt.getTime());
  return { wallMs, problems, tags: rows.flatMap((row) => (row.imageTag ? [row.imageTag] : [])) };
};

const workers: Awaited<ReturnType<typeof startChildWorker>>[] = [];
const lbTags: string[] = [];
try {
  log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores; ${BUILDS} builds, ${WORKERS} workers, ${BUILDER}, ${ROUNDS} rounds`);
  for (let i = 0; i < WORKERS; i += 1) workers.push(await startChildWorker({ LAYERBOARD_WORKER_CONCURRENCY: "1" }));
  // Warm-up: the base image's layers and the engine's cache of the Dockerfile's first steps.
  await execFileP(cliClient, ["build", "-q", "--build-arg", `LOAD_ID=warm-${id}`, "-t", `lb-h16-perf-ref:${id}-warm`, dir], {
    env: { ...process.env, DOCKER_BUILDKIT: BUILDER === "BUILDKIT" ? "1" : "0" },
  });
  cliTags.push(`lb-h16-perf-ref:${id}-warm`);

  const wall: number[] = [];
  const cli: number[] = [];
  const cliWithRun: number[] = [];
  const problems: string[] = [];
  const breakdown: Breakdown = Object.fromEntries(
    [
      "pick-up (queue poll + claim)",
      "context + engine info (claim → building)",
      "engine build (→ last engine line)",
      "analysis + record (→ image line)",
      "smoke run",
      "finish (smoke result, status)",
      "content analysis (export, after the result)",
    ].map((key) => [key, [] as number[]]),
  );
  for (let round = 0; round < ROUNDS; round += 1) {
    const steps = [
      async () => {
        const result = await runWorkers(round, breakdown);
        wall.push(result.wallMs);
        problems.push(...result.problems);
        lbTags.push(...result.tags);
        log(`round ${round + 1}: ${WORKERS} workers ${(result.wallMs / 1000).toFixed(1)} s${result.problems.length ? `, problems: ${result.problems.join("; ")}` : ""}`);
      },
      async () => {
        const ms = await runCli(round, false);
        cli.push(ms);
        log(`round ${round + 1}: CLI sequential ${(ms / 1000).toFixed(1)} s`);
      },
      async () => {
        const ms = await runCli(round, true);
        cliWithRun.push(ms);
        log(`round ${round + 1}: CLI sequential, build + docker run ${(ms / 1000).toFixed(1)} s`);
      },
    ];
    for (const step of round % 2 === 0 ? steps : [...steps].reverse()) await step();
  }
  const wallMedian = median(wall)!;
  const cliMedian = median(cli)!;
  const cliWithRunMedian = median(cliWithRun)!;
  console.log(`\nmedians of ${ROUNDS} rounds, ${BUILDS} builds each (${BUILDER})`);
  printTable([
    {
      case: `${BUILDS} builds on ${WORKERS} workers`,
      layerboard: `${(wallMedian / 1000).toFixed(1)} s`,
      reference: `${(cliMedian / 1000).toFixed(1)} s (${BUILDS} × ${cliClient} build, sequential)`,
      ratio: `${(wallMedian / cliMedian).toFixed(2)}×`,
      target: "≤ 1.1×",
      "exactly once": problems.length ? `NO: ${problems.slice(0, 3).join("; ")}` : "yes",
    },
    {
      case: `${BUILDS} builds on ${WORKERS} workers (with their smoke runs)`,
      layerboard: `${(wallMedian / 1000).toFixed(1)} s`,
      reference: `${(cliWithRunMedian / 1000).toFixed(1)} s (${BUILDS} × build + docker run --rm, sequential)`,
      ratio: `${(wallMedian / cliWithRunMedian).toFixed(2)}×`,
      target: "",
      "exactly once": "",
    },
  ]);
  console.log(`\nwhere the time goes (per build, all rounds; ${WORKERS} workers share the ${os.cpus().length} cores)`);
  printTable(
    Object.entries(breakdown).map(([stage, values]) => ({
      stage,
      p50: values.length ? `${Math.round(median(values)!)} ms` : "—",
      max: values.length ? `${Math.round(Math.max(...values))} ms` : "—",
      "sum per round": values.length ? `${((values.reduce((a, b) => a + b, 0) / ROUNDS) / 1000).toFixed(1)} s` : "—",
    })),
  );
  const lines: BenchLine[] = [
    { bench: "workers", line: `${BUILDS} builds on ${WORKERS} workers vs sequential CLI`, value: wallMedian, unit: "ms", reference: cliMedian, ratio: ratioOf(wallMedian, cliMedian), target: "≤ 1.1×" },
    { bench: "workers", line: `${BUILDS} builds on ${WORKERS} workers vs sequential CLI build + docker run`, value: wallMedian, unit: "ms", reference: cliWithRunMedian, ratio: ratioOf(wallMedian, cliWithRunMedian), target: null },
    { bench: "workers", line: "builds not run exactly once", value: problems.length, unit: "count", reference: null, ratio: null, target: "0" },
    ...Object.entries(breakdown).map(([stage, values]): BenchLine => ({ bench: "workers", line: `stage p50: ${stage}`, value: median(values), unit: "ms", reference: null, ratio: null, target: null })),
  ];
  appendBenchLines(lines);
} finally {
  for (const worker of workers) await stopChildWorker(worker).catch(() => undefined);
  await stopQueue().catch(() => undefined);
  for (const tag of [...cliTags, ...lbTags]) await execFileP("docker", ["image", "rm", "-f", tag]).catch(() => undefined);
  await db.$disconnect().catch(() => undefined);
  await postgres.remove();
  fs.rmSync(root, { recursive: true, force: true });
}
process.exit(0);
