// Benchmarks the data functions behind the overview, project, build and compare pages on a
// private embedded Postgres seeded with thousands of builds, at two history sizes in one run.
//
// Usage: npm run bench:pages
//   BENCH_BUILDS=100000   largest history (builds of the one benchmarked project)
//   BENCH_SIZES=10000,100000 history sizes measured, ascending (default: 10,000 and BENCH_BUILDS)
//   BENCH_RUNS=20         timed runs per function (p50 and p95 reported)
//   BENCH_DETAILS=10000   newest builds that get layers and steps (the rest have none)
//   BENCH_INDEXES=0       skip the candidate-index experiments (npm run bench does)
//   BENCH_MEMORY=0        skip the per-call memory children (npm run bench does)
//   BENCH_PG_PORT=54349   first port tried for the private Postgres (the next free one is used;
//                         data dir under /tmp, removed at the end)
// History is seeded by lib/harness/seed-history.ts (INSERT … SELECT generate_series: 100,000
// builds with layers, steps and smoke results in well under a minute).
// Prints figures only; it never fails on a timing. With LAYERBOARD_BENCH_JSON set, the page
// and chart-data p95s and the chart response bytes go to that file (lib/harness/bench-json.ts). Growth is the ratio of medians between the
// largest and the smallest size: a query that loads every build grows with it, a bounded one does not.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runInNewContext } from "node:vm";
import v8 from "node:v8";
import { percentile, recordBenchLine } from "@/lib/harness/bench-json";

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 20));
const MAX_BUILDS = Math.max(10, Number(process.env.BENCH_BUILDS ?? 100_000));
const SIZES = (process.env.BENCH_SIZES ?? `${Math.min(10_000, MAX_BUILDS)},${MAX_BUILDS}`)
  .split(",")
  .map(Number)
  .filter((n, i, all) => n > 0 && all.indexOf(n) === i)
  .sort((a, b) => a - b);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54349);
// A comparison of all five variants every 2 hours, newest first (lib/harness/seed-history.ts):
// 10,000 builds span ~167 days, 100,000 ~4.5 years; the default 30-day range holds ~1,800 builds.
// Layers and steps for the newest builds only (the build and compare pages look them up by id).
const DETAILS = Number(process.env.BENCH_DETAILS ?? 10_000);
// A slow figure is still a figure: the app's 15 s statement timeout would turn it into an error.
const BENCH_TIMEOUTS = { connectMs: 10_000, statementMs: 300_000, idleInTransactionMs: 300_000 };
const WITH_INDEXES = process.env.BENCH_INDEXES !== "0";
const WITH_MEMORY = process.env.BENCH_MEMORY !== "0";

v8.setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const isPortFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

const findFreePort = async (first: number) => {
  for (let port = first; port < first + 50; port += 1) if (await isPortFree(port)) return port;
  throw new Error(`no free port in ${first}–${first + 49}`);
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmtMs = (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
const fmtMiB = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

const printTable = (data: Array<Record<string, string>>) => {
  const columns = Object.keys(data[0]);
  const widths = columns.map((column) => Math.max(column.length, ...data.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ");
  console.log(line(columns));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of data) console.log(line(columns.map((column) => row[column] ?? "")));
};

const count = (value: unknown): number | null =>
  Array.isArray(value) ? value.length : value instanceof Map ? [...value.values()].reduce((n, list) => n + list.length, 0) : null;

// The result's size as the page would serialise it (Maps as entry lists, BigInt as text).
const responseBytes = (value: unknown) =>
  Buffer.byteLength(JSON.stringify(value, (_key, v) => (v instanceof Map ? [...v.entries()] : typeof v === "bigint" ? String(v) : v)) ?? "");

const thirtyDaysAgo = () => new Date(Date.now() - 30 * 24 * 3600_000);

type Db = typeof import("@/lib/db").db;
type Charts = typeof import("@/lib/data/charts");

// What the chart code must not do: every build of the project in memory, aggregated in JS.
const findEveryBuild = async (db: Db, projectId: string) => {
  const rows = await db.build.findMany({ where: { projectId }, include: { smoke: { select: { runs: true } } }, orderBy: { finishedAt: "asc" } });
  return rows.map((row) => ({ id: row.id, variantId: row.variantId, totalSize: row.totalSize === null ? null : Number(row.totalSize), runs: row.smoke?.runs ?? null }));
};

// The calls whose memory is measured, each in a fresh process (see measureMemoryInChild).
const memoryCalls = (db: Db, charts: Charts): Record<string, (projectId: string) => Promise<unknown>> => ({
  "chart data: project page (history 30 d + latest)": (projectId) =>
    Promise.all([charts.findSizeHistory(projectId, { since: thirtyDaysAgo() }), charts.findLatestSizes({ projectId, perVariant: 1 })]).then(
      ([history, latest]) => [...history, ...[...latest.values()].flat()],
    ),
  "chart data: size history, all time": (projectId) => charts.findSizeHistory(projectId, {}),
  "chart data: overview sparklines (all projects)": (projectId) =>
    charts.findLatestSizes({ perVariant: 20, projectId: projectId === WARM_UP_PROJECT ? WARM_UP_PROJECT : undefined }),
  "reference: load every build (naive)": (projectId) => findEveryBuild(db, projectId),
});

const WARM_UP_PROJECT = "no-such-project";

type MemoryFigures = { rss: number; heapPeak: number; rows: number | null };

// Child mode: warm up the code path on an empty project (loads modules, opens the pool), then
// measure one real call from a clean heap. A fresh process is what makes the rss delta mean
// something: in the parent, earlier work has already grown the heap and rss never shrinks.
const runMemoryChild = async (name: string, projectId: string) => {
  const { db } = await import("@/lib/db");
  const charts = await import("@/lib/data/charts");
  const call = memoryCalls(db, charts)[name];
  await call(WARM_UP_PROJECT);
  gc();
  gc();
  const before = process.memoryUsage();
  let heapPeak = before.heapUsed;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 1);
  const result = await call(projectId);
  clearInterval(sampler);
  const after = process.memoryUsage();
  heapPeak = Math.max(heapPeak, after.heapUsed);
  const figures: MemoryFigures = { rss: after.rss - before.rss, heapPeak: heapPeak - before.heapUsed, rows: count(result) };
  console.log(`BENCH_MEMORY ${JSON.stringify(figures)}`);
  await db.$disconnect();
};

const measureMemoryInChild = (name: string, projectId: string, url: string) =>
  new Promise<MemoryFigures>((resolve, reject) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", process.argv[1]], {
      env: { ...process.env, DATABASE_URL: url, BENCH_MEMORY_CALL: name, BENCH_MEMORY_PROJECT: projectId },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCH_MEMORY "));
      if (code !== 0 || !line) reject(new Error(`memory child for "${name}" exited ${code}: ${out}`));
      else resolve(JSON.parse(line.slice("BENCH_MEMORY ".length)) as MemoryFigures);
    });
  });

type Seeded = import("@/lib/harness/seed-history").SeededHistory;

const main = async () => {
  const { startEmbeddedPostgres } = await import("@/lib/database/embedded-postgres");
  const { migrateDatabase } = await import("@/lib/database/migrate");
  const pg = (await import("pg")).default;

  const dataDir = path.join(os.tmpdir(), `layerboard-bench-pages-${process.pid}`);
  const port = await findFreePort(PG_PORT);
  console.log(`private Postgres on port ${port}, data in ${dataDir}`);
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    server = await startEmbeddedPostgres({ dataDir, port, database: "postgres" });
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error instanceof Error ? error : new Error(`embedded Postgres did not start on port ${port}: ${String(error)}`);
  }
  // One database per history size, so that the sizes can be measured interleaved, run by run:
  // the machine is shared and its load drifts over minutes.
  type Target = { size: number; url: string; sql: import("pg").Client; client: import("@/lib/db").PrismaClient; seeded: Seeded };
  const targets: Target[] = [];
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const version = (await admin.query("SHOW server_version")).rows[0].server_version as string;
    const urls = new Map<number, string>();
    for (const size of SIZES) {
      await admin.query(`CREATE DATABASE layerboard_bench_${size}`);
      const url = new URL(server.url);
      url.pathname = `/layerboard_bench_${size}`;
      urls.set(size, url.toString());
      migrateDatabase(url.toString());
    }
    await admin.end();
    process.env.DATABASE_URL = urls.get(SIZES[SIZES.length - 1]);

    const { db, createPrismaClient } = await import("@/lib/db");
    const { findProjects, getProject } = await import("@/lib/data/projects");
    const { findBuilds, getBuild } = await import("@/lib/data/builds");
    const { findComparisons, getComparison } = await import("@/lib/data/comparisons");
    const charts = await import("@/lib/data/charts");
    const { seedHistory } = await import("@/lib/harness/seed-history");
    const { findLatestSizes, findSizeHistory, getOverviewCounts } = charts;
    const { getMetricsSnapshot } = await import("@/lib/data/metrics");
    const { renderMetrics } = await import("@/lib/metrics/registry");
    // lib/db reads its client from this global: pointing it at a target switches every data function.
    const cache = globalThis as unknown as { layerboardPrisma?: import("@/lib/db").PrismaClient };
    let current: Target;
    const use = (target: Target) => {
      current = target;
      cache.layerboardPrisma = target.client;
    };

    for (const size of SIZES) {
      const url = urls.get(size)!;
      const target: Target = { size, url, sql: new pg.Client({ connectionString: url }), client: createPrismaClient(url, BENCH_TIMEOUTS), seeded: undefined as unknown as Seeded };
      await target.sql.connect();
      targets.push(target);
      use(target);
      const started = performance.now();
      // Its own client: the seeding statements run longer than the app's 15 s statement timeout.
      const seeder = createPrismaClient(url, { connectMs: 10_000, statementMs: 600_000, idleInTransactionMs: 600_000 });
      target.seeded = await seedHistory(seeder, { slug: "bench", builds: size, details: DETAILS });
      await seeder.$disconnect();
      await target.sql.query("VACUUM ANALYZE");
      const totals = (await target.sql.query(`SELECT (SELECT count(*) FROM "Build") AS builds, (SELECT count(*) FROM "Layer") AS layers, (SELECT count(*) FROM "BuildStep") AS steps, pg_size_pretty(pg_database_size(current_database())) AS db`)).rows[0];
      console.log(`seeded N=${size} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${totals.builds} builds, ${totals.layers} layers, ${totals.steps} steps, database ${totals.db}`);
    }

    // -- the page loads, as the pages call them -------------------------------------------------
    const seeded = () => current.seeded;
    const pickBuild = () => seeded().buildId(40); // a succeeded build a few days old
    const pickComparison = () => seeded().comparisonId(10);

    const overviewPage = () =>
      Promise.all([
        findProjects(),
        findLatestSizes({ perVariant: 20 }),
        getOverviewCounts(),
        findBuilds({ status: ["RUNNING", "QUEUED"], limit: 20 }),
        findBuilds({ status: ["FAILED", "INTERRUPTED"], limit: 5 }),
      ]);
    const projectPage = async () => {
      const p = await getProject(seeded().projectId);
      return Promise.all([
        findSizeHistory(p.id, { since: thirtyDaysAgo(), variantIds: p.variants.map((v) => v.id) }),
        findLatestSizes({ projectId: p.id, perVariant: 1 }),
        findBuilds({ projectId: p.id, limit: 15 }),
        findComparisons(p.id, 10),
      ]);
    };
    // The build page: the build, then the previous successful build of its variant to diff with.
    const buildPage = async () => {
      const build = await getBuild(pickBuild());
      const candidates = await findBuilds({ variantId: build.variantId, status: "SUCCEEDED", limit: 50 });
      return [build, candidates];
    };
    // The compare page for a comparison: the comparison, the details of its builds, the picker.
    const comparePage = async () => {
      const comparison = await getComparison(pickComparison());
      const details = await Promise.all(comparison.builds.map((b) => getBuild(b.id)));
      const picker = await Promise.all([findProjects(), findBuilds({ projectId: comparison.projectId, status: "SUCCEEDED", limit: 30 }), findComparisons(comparison.projectId, 10)]);
      return [comparison, details, picker];
    };

    // `prepare` runs before each call, untimed. The size history is kept per process until the
    // project's history version moves (lib/data/charts.ts): bumping it is what a finished build does.
    type Case = { name: string; fn: () => Promise<unknown>; size: (result: unknown) => number | null; prepare?: () => Promise<unknown> };
    const historyChanged = () => current.sql.query(`UPDATE "HistoryVersion" SET "version" = "version" + 1 WHERE "projectId" = $1`, [seeded().projectId]);
    const cases: Case[] = [
      { name: "overview page (5 queries)", fn: overviewPage, size: () => null },
      { name: "  findLatestSizes (all, 20/variant)", fn: () => findLatestSizes({ perVariant: 20 }), size: count },
      { name: "  getOverviewCounts", fn: () => getOverviewCounts(), size: () => null },
      { name: "  findBuilds (failures, 5)", fn: () => findBuilds({ status: ["FAILED", "INTERRUPTED"], limit: 5 }), size: count },
      { name: "project page (5 queries)", fn: projectPage, size: () => null },
      { name: "  findSizeHistory (30 days)", fn: () => findSizeHistory(seeded().projectId, { since: thirtyDaysAgo(), variantIds: seeded().variantIds }), size: count, prepare: historyChanged },
      { name: "  findSizeHistory (all time)", fn: () => findSizeHistory(seeded().projectId, {}), size: count, prepare: historyChanged },
      { name: "  findSizeHistory (all time, viewed again)", fn: () => findSizeHistory(seeded().projectId, {}), size: count },
      { name: "  findLatestSizes (project, 1/variant)", fn: () => findLatestSizes({ projectId: seeded().projectId, perVariant: 1 }), size: count },
      { name: "  findBuilds (project, 15)", fn: () => findBuilds({ projectId: seeded().projectId, limit: 15 }), size: count },
      { name: "build page (getBuild + previous)", fn: buildPage, size: () => null },
      { name: "  getBuild", fn: () => getBuild(pickBuild()), size: () => null },
      { name: "compare page (comparison of 5)", fn: comparePage, size: () => null },
      { name: "  getComparison", fn: () => getComparison(pickComparison()), size: () => null },
      { name: "/api/metrics scrape (snapshot + text)", fn: async () => renderMetrics(await getMetricsSnapshot({ heartbeatTimeoutS: 60 })), size: () => null },
      { name: "reference: load every build (naive)", fn: () => findEveryBuild(db, seeded().projectId), size: count },
    ];

    const time = async (fn: () => Promise<unknown>, runs = RUNS) => {
      await fn();
      await fn();
      const samples: number[] = [];
      for (let r = 0; r < runs; r += 1) {
        const start = performance.now();
        await fn();
        samples.push(performance.now() - start);
      }
      return samples;
    };

    // Each case: two warm-ups per size, then RUNS rounds in which every size runs once (order alternating).
    const results = new Map<string, Map<number, { samples: number[]; rows: number | null; bytes: number }>>();
    for (const c of cases) {
      const bySize = new Map<number, { samples: number[]; rows: number | null; bytes: number }>();
      for (const target of targets) {
        use(target);
        await c.prepare?.();
        const first = await c.fn();
        bySize.set(target.size, { samples: [], rows: c.size(first), bytes: responseBytes(first) });
        await c.prepare?.();
        await c.fn();
      }
      for (let round = 0; round < RUNS; round += 1) {
        for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
          use(target);
          await c.prepare?.();
          const start = performance.now();
          await c.fn();
          bySize.get(target.size)!.samples.push(performance.now() - start);
        }
      }
      results.set(c.name, bySize);
    }

    // Memory: one call per fresh process; the naive reference shows what loading every build costs.
    const memoryResults = new Map<number, Array<MemoryFigures & { name: string }>>();
    for (const target of WITH_MEMORY ? targets : []) {
      const mem: Array<MemoryFigures & { name: string }> = [];
      for (const name of Object.keys(memoryCalls(db, charts))) mem.push({ name, ...(await measureMemoryInChild(name, target.seeded.projectId, target.url)) });
      memoryResults.set(target.size, mem);
    }

    // -- report ---------------------------------------------------------------------------------
    const smallest = SIZES[0];
    const largest = SIZES[SIZES.length - 1];
    console.log(`\nPostgres ${version}; p50/p95 of ${RUNS} runs after 2 warm-ups, sizes interleaved run by run; rows = rows returned at N=${largest}; bytes = the result as JSON`);
    printTable(
      cases.map((c) => {
        const bySize = results.get(c.name)!;
        const row: Record<string, string> = { "data function": c.name };
        for (const size of SIZES) {
          row[`p50 N=${size}`] = fmtMs(median(bySize.get(size)!.samples));
          row[`p95 N=${size}`] = fmtMs(percentile(bySize.get(size)!.samples, 95));
        }
        if (SIZES.length > 1) row[`growth ${largest}/${smallest}`] = `${(median(bySize.get(largest)!.samples) / median(bySize.get(smallest)!.samples)).toFixed(2)}×`;
        const rows = bySize.get(largest)!.rows;
        row.rows = rows === null ? "" : String(rows);
        for (const size of SIZES) row[`bytes N=${size}`] = bySize.get(size)!.bytes.toLocaleString("en-US");
        return row;
      }),
    );

    // Headline lines for `npm run bench`: page data p95 at each size; chart data against loading
    // every build (what an unbounded chart would do), with issue 16's 50 ms target at the largest.
    const p95 = (name: string, size: number) => percentile(results.get(name)!.get(size)!.samples, 95);
    const naive = "reference: load every build (naive)";
    for (const size of SIZES) {
      const n = size.toLocaleString("en-US");
      for (const [name, line] of [
        ["  findSizeHistory (30 days)", `chart data p95, project page (30 d), ${n} builds, after a change`],
        ["  findSizeHistory (all time)", `chart data p95, all time, ${n} builds, after a change`],
        ["  findSizeHistory (all time, viewed again)", `chart data p95, all time, ${n} builds, viewed again (kept)`],
      ] as const)
        recordBenchLine({ bench: "pages", line, value: p95(name, size), unit: "ms", reference: p95(naive, size), referenceLabel: "load every build", target: size === largest ? { on: "value", max: 50 } : null });
      for (const [name, line] of [
        ["overview page (5 queries)", `overview page data p95, ${n} builds`],
        ["project page (5 queries)", `project page data p95, ${n} builds`],
        ["build page (getBuild + previous)", `build page data p95, ${n} builds`],
        ["compare page (comparison of 5)", `compare page data p95, ${n} builds`],
      ] as const)
        recordBenchLine({ bench: "pages", line, value: p95(name, size), unit: "ms", reference: p95(naive, size), referenceLabel: "load every build" , target: null });
    }
    if (SIZES.length > 1) {
      const bytes = (size: number) => results.get("  findSizeHistory (all time)")!.get(size)!.bytes;
      recordBenchLine({
        bench: "pages",
        line: `chart data bytes, all time, ${largest.toLocaleString("en-US")} builds`,
        value: bytes(largest),
        unit: "B",
        reference: bytes(smallest),
        referenceLabel: `same at ${smallest.toLocaleString("en-US")} builds`,
        target: { on: "ratio", max: 1.1 },
      });
    }

    if (WITH_MEMORY) console.log(`\nmemory of one call in a fresh process (after a warm-up on an empty project and gc; heap peak sampled every 1 ms)`);
    if (WITH_MEMORY) printTable(
      memoryResults.get(largest)!.map((m, index) => {
        const row: Record<string, string> = { call: m.name };
        for (const size of SIZES) {
          const at = memoryResults.get(size)![index];
          row[`rows N=${size}`] = String(at.rows ?? "");
          row[`heap peak Δ N=${size}`] = fmtMiB(at.heapPeak);
          row[`rss Δ N=${size}`] = fmtMiB(at.rss);
        }
        return row;
      }),
    );

    // -- indexes: plans of the chart queries, and candidate indexes measured on and off --------
    const big = targets[targets.length - 1];
    use(big);
    if (WITH_INDEXES) await indexExperiments({ sql: big.sql, project: { id: big.seeded.projectId }, cases, time, sizeLabel: largest });
  } finally {
    for (const target of targets) {
      await target.sql.end().catch(() => undefined);
      await target.client.$disconnect().catch(() => undefined);
    }
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
};

type Experiment = {
  sql: import("pg").Client;
  project: { id: string };
  cases: Array<{ name: string; fn: () => Promise<unknown> }>;
  time: (fn: () => Promise<unknown>, runs?: number) => Promise<number[]>;
  sizeLabel: number;
};

// The plan's top node and whether it reads the whole Build table.
const summarisePlan = async (sql: import("pg").Client, query: string, params: unknown[]) => {
  const plan = (await sql.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`, params)).rows[0]["QUERY PLAN"][0];
  const scans: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    if (typeof node["Relation Name"] === "string") {
      scans.push(`${node["Node Type"]} on ${node["Relation Name"]}${node["Index Name"] ? ` (${node["Index Name"]})` : ""} rows=${node["Actual Rows"]}×${node["Actual Loops"]}`);
    }
    for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
  };
  walk(plan.Plan);
  return { ms: plan["Execution Time"] as number, scans };
};

const indexExperiments = async ({ sql, project, cases, time, sizeLabel }: Experiment) => {
  // Copies of the SQL in lib/data/charts.ts (for EXPLAIN; the function rows call the real code).
  const historyAll = `
    SELECT "buildId", "variantId", "finishedAt", "totalSize" FROM (
      SELECT b.id AS "buildId", b."variantId", b."finishedAt", b."totalSize",
             row_number() OVER (PARTITION BY b."variantId" ORDER BY b."finishedAt" DESC) AS rn
      FROM "Build" b LEFT JOIN "SmokeResult" s ON s."buildId" = b.id
      WHERE b."projectId" = $1 AND b."finishedAt" IS NOT NULL AND b.status::text IN ('SUCCEEDED','FAILED','INTERRUPTED')
    ) ranked WHERE rn <= 500 ORDER BY "finishedAt" ASC`;
  const latestAll = `
    SELECT "variantId", "buildId", "finishedAt", "totalSize", runs FROM (
      SELECT b."variantId", b.id AS "buildId", b."finishedAt", b."totalSize", s.runs,
             row_number() OVER (PARTITION BY b."variantId" ORDER BY b."finishedAt" DESC) AS rn
      FROM "Build" b LEFT JOIN "SmokeResult" s ON s."buildId" = b.id
      WHERE b.status = 'SUCCEEDED' AND b."totalSize" IS NOT NULL AND b."finishedAt" IS NOT NULL
    ) ranked WHERE rn <= 20 ORDER BY "variantId", "finishedAt" ASC`;
  // The same results asked per variant: with an index on (variantId, finishedAt) each variant
  // reads only its newest rows, whatever the length of the history.
  const latestLateral = `
    SELECT l."variantId", l."buildId", l."finishedAt", l."totalSize", s.runs
    FROM "Variant" v
    CROSS JOIN LATERAL (
      SELECT b."variantId", b.id AS "buildId", b."finishedAt", b."totalSize" FROM "Build" b
      WHERE b."variantId" = v.id AND b.status = 'SUCCEEDED' AND b."totalSize" IS NOT NULL AND b."finishedAt" IS NOT NULL
      ORDER BY b."finishedAt" DESC LIMIT 20
    ) l
    LEFT JOIN "SmokeResult" s ON s."buildId" = l."buildId"
    ORDER BY l."variantId", l."finishedAt" ASC`;
  const historyLateral = `
    SELECT l.*, s.runs FROM "Variant" v
    CROSS JOIN LATERAL (
      SELECT b.id AS "buildId", b."variantId", b."finishedAt", b."totalSize" FROM "Build" b
      WHERE b."variantId" = v.id AND b."finishedAt" IS NOT NULL AND b.status::text IN ('SUCCEEDED','FAILED','INTERRUPTED')
      ORDER BY b."finishedAt" DESC LIMIT 500
    ) l
    LEFT JOIN "SmokeResult" s ON s."buildId" = l."buildId"
    WHERE v."projectId" = $1
    ORDER BY l."finishedAt" ASC`;
  const weekAgo = () => new Date(Date.now() - 7 * 24 * 3600_000).toISOString();
  const dayAgo = () => new Date(Date.now() - 24 * 3600_000).toISOString();
  const countsDay = `SELECT count(*) FROM "Build" WHERE "queuedAt" >= $1::timestamp`;
  const countsFailures = `SELECT count(*) FROM "Build" WHERE status IN ('FAILED','INTERRUPTED') AND "finishedAt" >= $1::timestamp`;
  const countsByStatus = `SELECT status, count(*) FROM "Build" GROUP BY status`;

  type Sql = { name: string; text: string; params: () => unknown[] };
  const candidates: Array<{ index: string; sql: Sql[]; cases: RegExp }> = [
    {
      index: `CREATE INDEX bench_candidate ON "Build" ("variantId", "finishedAt")`,
      cases: /findLatestSizes|findSizeHistory/,
      sql: [
        { name: "findSizeHistory all time (copy)", text: historyAll, params: () => [project.id] },
        { name: "  LATERAL per variant, LIMIT 500", text: historyLateral, params: () => [project.id] },
        { name: "findLatestSizes overview (copy)", text: latestAll, params: () => [] },
        { name: "  LATERAL per variant, LIMIT 20", text: latestLateral, params: () => [] },
      ],
    },
    {
      index: `CREATE INDEX bench_candidate ON "Build" ("queuedAt")`,
      cases: /getOverviewCounts/,
      sql: [{ name: "count builds of the last day", text: countsDay, params: () => [dayAgo()] }],
    },
    {
      index: `CREATE INDEX bench_candidate ON "Build" ("status", "finishedAt")`,
      cases: /getOverviewCounts/,
      sql: [
        { name: "count failures of the last week", text: countsFailures, params: () => [weekAgo()] },
        { name: "count by status", text: countsByStatus, params: () => [] },
      ],
    },
  ];

  const report: Array<Record<string, string>> = [];
  const plans: string[] = [];
  for (const candidate of candidates) {
    const subjects: Array<{ name: string; fn: () => Promise<unknown>; sql?: Sql }> = [
      ...cases.filter((c) => candidate.cases.test(c.name)).map((c) => ({ name: c.name.trim(), fn: c.fn })),
      ...candidate.sql.map((q) => ({ name: `SQL: ${q.name}`, fn: () => sql.query(q.text, q.params()), sql: q })),
    ];
    const samples = { without: new Map<string, number[]>(), with: new Map<string, number[]>() };
    const scans = { without: new Map<string, string>(), with: new Map<string, string>() };
    // Without, with, without, with: the machine's load drifts, so both states share it.
    for (const state of ["without", "with", "without", "with"] as const) {
      if (state === "with") {
        await sql.query(candidate.index);
        await sql.query(`ANALYZE "Build"`);
      }
      for (const subject of subjects) {
        const list = samples[state].get(subject.name) ?? [];
        list.push(...(await time(subject.fn, Math.ceil(RUNS / 2))));
        samples[state].set(subject.name, list);
        if (subject.sql) scans[state].set(subject.name, (await summarisePlan(sql, subject.sql.text, subject.sql.params())).scans.join("; "));
      }
      if (state === "with") await sql.query(`DROP INDEX bench_candidate`);
    }
    const indexName = candidate.index.replace(/^CREATE INDEX bench_candidate ON /, "");
    for (const subject of subjects) {
      const without = median(samples.without.get(subject.name)!);
      const withIndex = median(samples.with.get(subject.name)!);
      report.push({ index: indexName, query: subject.name, "without index": fmtMs(without), "with index": fmtMs(withIndex), "with/without": `${(withIndex / without).toFixed(2)}×` });
      if (subject.sql) plans.push(`  ${indexName} — ${subject.name.trim()}\n    without: ${scans.without.get(subject.name)}\n    with:    ${scans.with.get(subject.name)}`);
    }
  }
  console.log(`\ncandidate indexes at N=${sizeLabel}: each created and dropped twice in the private database, runs interleaved`);
  printTable(report);
  console.log("\nscans in the plans (EXPLAIN ANALYZE), without → with the index:");
  console.log(plans.join("\n"));
};

if (process.env.BENCH_MEMORY_CALL) await runMemoryChild(process.env.BENCH_MEMORY_CALL, process.env.BENCH_MEMORY_PROJECT ?? "");
else await main();
process.exit(0);
