// `npm run bench`: every benchmark of package.json, one after another (they share the engine
// and the two cores; in parallel they would measure each other), each with
// LAYERBOARD_BENCH_JSON pointing at one file they append their headline figures to
// (lib/harness/bench-json.ts), then ONE table: line, value, reference, ratio, target, met?.
//
// Runs: bench:build, bench:content, bench:load, bench:pages, bench:ui, and bench:context /
// bench:workers where package.json has them. Each bench's own output goes to
// test-results/bench/<name>.log (its tables are more detailed than the summary).
//
// Time: bounded per bench by BENCH_ALL_TIMEOUT_S (default 1500 s; a bench that overruns is
// stopped and its row says so). With the defaults below a full run on the 2-core reference
// machine takes about 35–60 minutes, most of it bench:load (2 × 20 CLI builds + 20 through
// the workers) and bench:build. Knobs (each passed on unless already set):
//   BENCH_ONLY=pages,ui       run only these (names without the "bench:" prefix)
//   BENCH_ROUNDS=3            rounds for bench:build / bench:content (their own default 5 / 3)
//   BENCH_RUNS=10             timed runs per data function in bench:pages
//   LAYERBOARD_LOAD_BUILDS=20 builds in bench:load (its own default 50)
//   LAYERBOARD_LOAD_PHASES=builds  bench:load without the 500-viewer stream phase
//   BENCH_UI_ROUNDS=20        builds timed by bench:ui
// Exit code 0 when every bench ran to the end (a missed target is a figure, not a failure).
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatTarget, isTargetMet, type BenchLine } from "@/lib/harness/bench-json";

const ORDER = ["pages", "ui", "context", "build", "content", "workers", "load"];
const TIMEOUT_S = Number(process.env.BENCH_ALL_TIMEOUT_S ?? 1500);
const DEFAULTS: Record<string, string> = {
  BENCH_ROUNDS: "3",
  BENCH_RUNS: "10",
  BENCH_INDEXES: "0",
  BENCH_MEMORY: "0",
  LAYERBOARD_LOAD_BUILDS: "20",
  LAYERBOARD_LOAD_PHASES: "builds",
  BENCH_UI_ROUNDS: "20",
};

const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim().replace(/^bench:/, "")).filter(Boolean);
const benches = ORDER.filter((name) => scripts[`bench:${name}`] && (!only || only.includes(name)));

const jsonFile = path.join(os.tmpdir(), `layerboard-bench-${process.pid}.jsonl`);
rmSync(jsonFile, { force: true });
const logDir = path.resolve("test-results", "bench");
mkdirSync(logDir, { recursive: true });

const runBench = (name: string) =>
  new Promise<{ code: number | null; ms: number; timedOut: boolean }>((resolve) => {
    const started = Date.now();
    const env: NodeJS.ProcessEnv = { ...process.env, LAYERBOARD_BENCH_JSON: jsonFile };
    for (const [key, value] of Object.entries(DEFAULTS)) env[key] ??= value;
    const log = createWriteStream(path.join(logDir, `${name}.log`));
    // Its own process group, so that a timeout stops the bench and everything it started.
    const child = spawn("npm", ["run", "-s", `bench:${name}`], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGTERM");
        setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 20_000).unref();
      } catch {
        // already gone
      }
    }, TIMEOUT_S * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      log.end();
      resolve({ code, ms: Date.now() - started, timedOut });
    });
  });

const fmtValue = (value: number | null, unit: string) => {
  if (value === null || !Number.isFinite(value)) return "—";
  if (unit === "ms") return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
  if (unit === "B") return value >= 1048576 ? `${(value / 1048576).toFixed(1)} MiB` : `${(value / 1024).toFixed(1)} KiB`;
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`;
};

const printTable = (rows: Array<Record<string, string>>) => {
  const columns = Object.keys(rows[0]);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(columns.map((c) => row[c] ?? "")));
};

const started = Date.now();
console.log(`npm run bench: ${benches.map((b) => `bench:${b}`).join(", ")}; logs in ${path.relative(process.cwd(), logDir)}/; timeout ${TIMEOUT_S} s each`);
console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
const outcomes = new Map<string, string>();
for (const name of benches) {
  process.stdout.write(`bench:${name} … `);
  const result = await runBench(name);
  const outcome = result.timedOut ? `stopped after ${TIMEOUT_S} s` : result.code === 0 ? "ok" : `exit ${result.code}`;
  outcomes.set(name, outcome);
  console.log(`${outcome} in ${(result.ms / 1000).toFixed(0)} s`);
}

const entries: Array<BenchLine & { ratio: number | null }> = existsSync(jsonFile)
  ? readFileSync(jsonFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
rmSync(jsonFile, { force: true });

console.log(`\nload average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; total ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
const rows = entries.map((e) => {
  const met = isTargetMet(e);
  return {
    line: `${e.bench}: ${e.line}`,
    value: fmtValue(e.value, e.unit),
    reference: e.reference === null ? `— (${e.referenceLabel ?? "none"})` : `${fmtValue(e.reference, e.unit)} (${e.referenceLabel ?? ""})`,
    ratio: e.ratio === null ? "—" : `${e.ratio.toFixed(2)}×`,
    target: formatTarget(e.target, e.unit),
    "met?": met === null ? "" : met ? "yes" : "NO",
  };
});
for (const [name, outcome] of outcomes)
  if (outcome !== "ok" || !entries.some((e) => e.bench === name))
    rows.push({ line: `bench:${name}`, value: outcome, reference: `see test-results/bench/${name}.log`, ratio: "", target: "", "met?": "" });
if (rows.length) printTable(rows);
else console.log("no figures were recorded");
process.exit([...outcomes.values()].every((o) => o === "ok") ? 0 : 1);
