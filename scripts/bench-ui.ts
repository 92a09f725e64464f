// `npm run bench:ui`: what the user feels, in real Chromium against the production app with
// one worker (started as `npm start` does, on a private embedded Postgres):
//  1. time from pressing Build on the project page to the first log line on screen, over
//     BENCH_UI_ROUNDS builds (default 20) with the worker idle; reference: `docker build` CLI
//     (same Dockerfile, same engine, classic builder: this CLI has no buildx) from its start to
//     the first line the engine sends ("Step 1/…").
//  2. live-log latency on a 10,000-line build (BENCH_UI_LINES): each line carries the time the
//     build printed it ($EPOCHREALTIME); the page's EventSource records when each line arrived.
//     Reported: worker's receipt (the stored `at`) → browser, print → browser, lines lost;
//     reference: the same build through the `docker build` CLI, print → CLI stdout.
// Figures only, never a pass/fail. With LAYERBOARD_BENCH_JSON set, the headline lines go there.
// Env: BENCH_UI_ROUNDS=20, BENCH_UI_LINES=10000, BENCH_UI_PORT (default: a free port),
//      CHROMIUM_PATH=/usr/bin/chromium. The first run makes the production build (`next build`).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { chromium, type Page } from "playwright-core";
import { startPrivatePostgres } from "@/lib/database/private-postgres";
import { findFreePort } from "@/lib/database/free-port";
import { getLauncherEnv } from "@/lib/env";
import { percentile, recordBenchLine } from "@/lib/harness/bench-json";

const ROUNDS = Math.max(1, Number(process.env.BENCH_UI_ROUNDS ?? 20));
const LINES = Math.max(100, Number(process.env.BENCH_UI_LINES ?? 10_000));
const BASE_IMAGE = getLauncherEnv().LAYERBOARD_BASE_IMAGE;
const id = randomBytes(3).toString("hex");
const TAG = `lb-h16-history-ui-${id}`;
const log = (message: string) => console.log(`[bench:ui] ${message}`);
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

const postgres = await startPrivatePostgres();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "lb-bench-ui-"));
const firstDir = path.join(root, "first-line");
const manyDir = path.join(root, "many-lines");
fs.mkdirSync(firstDir);
fs.mkdirSync(manyDir);
fs.writeFileSync(path.join(firstDir, "Dockerfile"), `FROM ${BASE_IMAGE}\nRUN echo "first line"\nCMD ["true"]\n`);
// Paced like a real build (a short pause every 100 lines), after a 3 s pause that lets the
// browser open the page before the first line: every line is then a live line, not a replay.
fs.writeFileSync(
  path.join(manyDir, "Dockerfile"),
  `FROM ${BASE_IMAGE}\nRUN bash -c 'sleep 3; for i in $(seq 1 ${LINES}); do echo "L $i $EPOCHREALTIME"; if (( i % 100 == 0 )); then sleep 0.02; fi; done'\nCMD ["true"]\n`,
);

const port = Number(process.env.BENCH_UI_PORT ?? (await findFreePort()));
const base = `http://127.0.0.1:${port}`;
const email = `bench-ui-${id}@example.test`;
const password = `bench-ui-${id}-${randomBytes(6).toString("hex")}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: postgres.url,
  PORT: String(port),
  HOSTNAME_BIND: "127.0.0.1",
  LAYERBOARD_ADMIN_EMAIL: email,
  LAYERBOARD_ADMIN_PASSWORD: password,
  LAYERBOARD_CONTEXT_ROOTS: [path.resolve("examples"), root].join(path.delimiter),
  LAYERBOARD_WORKERS: "1",
  LAYERBOARD_SKIP_BASE_IMAGE: "1",
  NEXT_TELEMETRY_DISABLED: "1",
};
process.env.DATABASE_URL = postgres.url;
process.env.LAYERBOARD_CONTEXT_ROOTS = env.LAYERBOARD_CONTEXT_ROOTS;

let app: ChildProcess | undefined;
const stopApp = () =>
  new Promise<void>((resolve) => {
    if (!app || app.exitCode !== null) return resolve();
    app.once("exit", () => resolve());
    app.kill("SIGTERM");
    setTimeout(() => app?.kill("SIGKILL"), 45_000).unref();
  });

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 50) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
};

// `docker build` CLI: ms from spawn to its first line from the engine, and every line with its receipt time.
const cliBuild = (dir: string, tag: string) =>
  new Promise<{ firstLineMs: number; lines: Array<{ text: string; at: number }> }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn("docker", ["build", "--no-cache", "-t", tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    const lines: Array<{ text: string; at: number }> = [];
    let firstLineMs = Number.NaN;
    createInterface({ input: child.stdout }).on("line", (text) => {
      const at = Date.now();
      if (Number.isNaN(firstLineMs) && text.startsWith("Step ")) firstLineMs = performance.now() - started;
      lines.push({ text, at });
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve({ firstLineMs, lines }) : reject(new Error(`docker build exited ${code}: ${stderr}`))));
  });

const rmi = (tag: string) => new Promise<void>((resolve) => spawn("docker", ["rmi", "-f", tag], { stdio: "ignore" }).on("close", () => resolve()));

// "L <i> <epoch seconds with µs>" → [i, printed at (ms)].
const parseTimedLine = (text: string): [number, number] | null => {
  const match = /^L (\d+) (\d+)[.,](\d+)$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]) * 1000 + Number(match[3].padEnd(6, "0").slice(0, 6)) / 1000] : null;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const imageTags: string[] = [];
const projectIds: string[] = [];
try {
  const { db } = await import("@/lib/db");
  const { seed } = await import("@/lib/builds/seed");
  const { createDirectoryProject } = await import("@/lib/harness/directory-project");
  // The administrator first (the launcher's seed finds it), and the two projects of this bench.
  await seed({ email, password });
  const project = await createDirectoryProject(db, `bench-ui-${id}`, firstDir, [{ name: "first-line", builder: "CLASSIC", noCache: true, smokeCommand: ["true"] }]);
  const many = await createDirectoryProject(db, `bench-ui-lines-${id}`, manyDir, [{ name: "many-lines", builder: "CLASSIC", noCache: true, smokeCommand: ["true"] }]);

  log(`starting the app on ${base} (npm start: production build if the sources changed, one worker)…`);
  const launched = performance.now();
  app = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/launch.ts", "start"], { env, stdio: ["ignore", "inherit", "inherit"] });
  await waitFor("the app's /api/health", async () => {
    if (app?.exitCode !== null) throw new Error(`the app exited (${app?.exitCode}) before it answered: see its output above`);
    return (await fetch(`${base}/api/health`).catch(() => null))?.status === 200;
  }, 1_200_000, 500);
  log(`app up in ${((performance.now() - launched) / 1000).toFixed(0)} s`);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page: Page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Sign in" }).click()]);

  const finished = (buildId: string) => async () => {
    const build = await db.build.findUnique({ where: { id: buildId }, select: { status: true } });
    const pending = await db.contentAnalysis.count({ where: { buildId, status: { in: ["QUEUED", "RUNNING"] } } });
    return !!build && !["QUEUED", "RUNNING"].includes(build.status) && pending === 0;
  };

  projectIds.push(project.id, many.id);
  imageTags.push(`${TAG}-first`, `${TAG}-lines`);
  // -- 1. Build → first log line on screen --------------------------------------------------------
  const appMs: number[] = [];
  const cliMs: number[] = [];
  // Where the first line's time goes (wall clock: the browser, the app and Postgres share this machine).
  const stages: Record<string, number[]> = { "click → build recorded (server action)": [], "recorded → claimed by the worker": [], "claimed → first line stored (context, engine)": [], "first line stored → on screen (page, SSE)": [] };
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    await page.goto(`${base}/projects/${project.id}`);
    const button = page.getByRole("button", { name: "Build first-line" });
    await button.waitFor();
    // A person presses Build on a page that has loaded: once React has hydrated the button (a click
    // before that waits for the page's scripts, ~250 ms of the first figure in an earlier run).
    const handle = await button.elementHandle();
    await page.waitForFunction((element) => !!element && Object.keys(element).some((key) => key.startsWith("__reactFiber")), handle, { timeout: 60_000 });
    const start = performance.now();
    const clickedAt = Date.now();
    await button.click();
    await page.waitForURL(/\/builds\/[^/]+$/, { timeout: 60_000 });
    await page.locator("[data-testid=log-pane] [data-seq]").first().waitFor({ timeout: 60_000 });
    const ms = performance.now() - start;
    const shownAt = Date.now();
    const buildId = new URL(page.url()).pathname.split("/").pop()!;
    await waitFor(`build ${buildId} to finish`, finished(buildId), 300_000, 200);
    const cli = await cliBuild(firstDir, `${TAG}-first`);
    // Round 0 warms up both (the page's first compile of each route, the engine's caches).
    if (round > 0) {
      const row = await db.build.findUniqueOrThrow({ where: { id: buildId }, select: { queuedAt: true, startedAt: true } });
      const first = await db.logLine.findFirst({ where: { buildId }, orderBy: { seq: "asc" }, select: { at: true } });
      if (row.startedAt && first) {
        const marks = [clickedAt, row.queuedAt.getTime(), row.startedAt.getTime(), first.at.getTime(), shownAt];
        Object.values(stages).forEach((list, i) => list.push(marks[i + 1] - marks[i]));
      }
      appMs.push(ms);
      cliMs.push(cli.firstLineMs);
      log(`round ${round}: Build → first line ${fmt(ms)}; docker build → first line ${fmt(cli.firstLineMs)}`);
    }
  }

  // -- 2. live-log latency on a LINES-line build ----------------------------------------------------
  // Every `log` event the page's EventSource receives, with the time it arrived.
  // A string, not a function: tsx's keepNames would put helpers the page does not have into it.
  await page.addInitScript(`
    (() => {
      const Original = window.EventSource;
      const received = [];
      window.__lbLines = received;
      // The page's main thread: an event waits behind a long task (> 50 ms) running on it.
      const longTasks = [];
      window.__lbLongTasks = longTasks;
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push([performance.timeOrigin + entry.startTime, entry.duration]); }).observe({ type: "longtask", buffered: true });
      window.EventSource = class extends Original {
        constructor(url, init) {
          super(url, init);
          this.addEventListener("log", (event) => {
            const data = JSON.parse(event.data);
            received.push([data.seq, data.at, data.text, Date.now()]);
          });
        }
      };
    })();
  `);
  const created = await page.evaluate(async (variantId) => {
    const response = await fetch("/api/builds", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ variantId }) });
    return (await response.json()) as { build: { id: string } };
  }, many.variants[0].id);
  const buildId = created.build.id;
  await page.goto(`${base}/builds/${buildId}`);
  await waitFor(`the ${LINES}-line build`, finished(buildId), 900_000, 500);
  const stored = await db.build.findUniqueOrThrow({ where: { id: buildId }, select: { logLines: true, status: true } });
  const stored0 = () => stored.status;
  await waitFor("the page to show the end", async () => (await page.getByTestId("build-live").getAttribute("data-status")) === stored0(), 60_000, 200).catch(() => undefined);
  const received = (await page.evaluate("window.__lbLines")) as Array<[number, string, string, number]>;
  const longTasks = (await page.evaluate("window.__lbLongTasks")) as Array<[number, number]>;
  const onScreen = Number((await page.getByTestId("log-pane").getAttribute("data-line-count")) ?? 0);
  const seqs = new Set(received.map((r) => r[0]));
  const writeToBrowser: number[] = [];
  const printToBrowser: number[] = [];
  const printedSeen = new Set<number>();
  for (const [, at, text, arrived] of received) {
    writeToBrowser.push(arrived - Date.parse(at));
    const timed = parseTimedLine(text);
    if (timed) {
      printedSeen.add(timed[0]);
      printToBrowser.push(arrived - timed[1]);
    }
  }
  const cli = await cliBuild(manyDir, `${TAG}-lines`);
  const cliPrinted = new Set<number>();
  const printToTerminal: number[] = [];
  for (const line of cli.lines) {
    const timed = parseTimedLine(line.text);
    if (timed) {
      cliPrinted.add(timed[0]);
      printToTerminal.push(line.at - timed[1]);
    }
  }

  // -- report ------------------------------------------------------------------------------------
  const lost = LINES - printedSeen.size;
  console.log(`\nbench:ui — ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; classic builder for the app and the CLI alike`);
  console.log(`Build pressed → first log line on screen (${ROUNDS} builds, worker idle): p50 ${fmt(percentile(appMs, 50))}, p95 ${fmt(percentile(appMs, 95))}`);
  console.log(`  reference docker build → first "Step" line:              p50 ${fmt(percentile(cliMs, 50))}, p95 ${fmt(percentile(cliMs, 95))}`);
  for (const [stage, list] of Object.entries(stages)) console.log(`  ${stage}: p50 ${fmt(percentile(list, 50))}, p95 ${fmt(percentile(list, 95))}`);
  console.log(`${LINES}-line build (${stored.status}): ${received.length} log events over SSE, ${seqs.size} distinct seqs; ${stored.logLines} lines stored; ${onScreen} on screen; ${printedSeen.size}/${LINES} printed lines arrived (${lost} lost)`);
  console.log(`  worker's receipt → browser: p50 ${fmt(percentile(writeToBrowser, 50))}, p95 ${fmt(percentile(writeToBrowser, 95))}, max ${fmt(Math.max(...writeToBrowser))}`);
  // While the lines arrived: how much of it the page's main thread spent in long tasks.
  const firstArrival = Math.min(...received.map((r) => r[3]));
  const lastArrival = Math.max(...received.map((r) => r[3]));
  const during = longTasks.filter(([start]) => start >= firstArrival && start <= lastArrival);
  const busyMs = during.reduce((sum, [, duration]) => sum + duration, 0);
  console.log(`  page main thread while the lines arrived: ${during.length} long tasks (> 50 ms), ${fmt(busyMs)} of ${fmt(lastArrival - firstArrival)}${during.length ? `, longest ${fmt(Math.max(...during.map(([, d]) => d)))}` : ""}`);
  console.log(`  printed in the build → browser: p50 ${fmt(percentile(printToBrowser, 50))}, p95 ${fmt(percentile(printToBrowser, 95))}`);
  console.log(`  reference printed → docker build CLI stdout: p50 ${fmt(percentile(printToTerminal, 50))}, p95 ${fmt(percentile(printToTerminal, 95))} (${cliPrinted.size}/${LINES} lines)`);

  recordBenchLine({ bench: "ui", line: `Build pressed → first log line on screen, p95 (${ROUNDS} builds)`, value: percentile(appMs, 95), unit: "ms", reference: percentile(cliMs, 95), referenceLabel: "docker build → first Step line, p95", target: { on: "value", max: 300 } });
  recordBenchLine({ bench: "ui", line: `Build pressed → first log line on screen, p50`, value: percentile(appMs, 50), unit: "ms", reference: percentile(cliMs, 50), referenceLabel: "docker build → first Step line, p50", target: null });
  recordBenchLine({ bench: "ui", line: `live log, worker → browser over SSE, p95 (${LINES} lines)`, value: percentile(writeToBrowser, 95), unit: "ms", reference: percentile(printToTerminal, 95), referenceLabel: "print → docker build CLI stdout, p95", target: { on: "value", max: 250 } });
  recordBenchLine({ bench: "ui", line: `live log, printed → browser, p95 (${LINES} lines)`, value: percentile(printToBrowser, 95), unit: "ms", reference: percentile(printToTerminal, 95), referenceLabel: "print → docker build CLI stdout, p95", target: null });
  recordBenchLine({ bench: "ui", line: `live log, lines lost of ${LINES}`, value: lost, unit: "lines", reference: LINES - cliPrinted.size, referenceLabel: "lost by the docker build CLI", target: { on: "value", max: 0 } });
  await context.close();
} finally {
  await browser.close().catch(() => undefined);
  await stopApp();
  // The images this run made: the CLI's, and the app's builds of the two bench projects.
  const { db } = await import("@/lib/db");
  const built = await db.build.findMany({ where: { projectId: { in: projectIds } }, select: { imageTag: true } }).catch(() => []);
  for (const tag of new Set([...imageTags, ...built.flatMap((b) => (b.imageTag ? [b.imageTag] : []))])) await rmi(tag);
  await db.$disconnect().catch(() => undefined);
  await postgres.remove().catch(() => undefined);
  fs.rmSync(root, { recursive: true, force: true });
}
process.exit(0);
