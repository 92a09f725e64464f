// `npm run bench:context`: packing a build context (lib/builds/context/create-tar-stream.ts)
// against `tar -c | wc -c` on the same files in the same run: a ~1 GB synthetic context (many
// small files and a few large ones) for throughput and the ~300-file app context for the
// per-file cost; plus the peak RSS growth of this process while it packs the large one.
//
// Env: BENCH_ROUNDS=5, BENCH_CONTEXT_MB=1024, BENCH_SMALL_FILES=20000, LAYERBOARD_BENCH_JSON=path.
// Figures only, never a pass/fail. Subject and reference alternate A B A B; medians are quoted.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import { getLauncherEnv } from "@/lib/env";
import { writeAppContext, writeLargeContext } from "@/lib/harness/bench-contexts";
import { appendBenchLines, median, printTable, ratioOf, type BenchLine } from "@/lib/harness/bench-json-lines";

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const CONTEXT_MB = Math.max(16, Number(process.env.BENCH_CONTEXT_MB ?? 1024));
const SMALL_FILES = Math.max(100, Number(process.env.BENCH_SMALL_FILES ?? 20_000));
const BENCH = "context";

// tar … | wc -c under bash, whose `times` then reports the CPU time of the two (the children).
const tarBytes = (dir: string, excludes: string[]) =>
  new Promise<{ bytes: number; cpuMs: number }>((resolve, reject) => {
    const script = 'tar -C "$1" "${@:2}" -cf - . | wc -c; times';
    const child = spawn("bash", ["-c", script, "bench", dir, ...excludes], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const [bytes, , children] = out.trim().split("\n");
      const seconds = (children ?? "").split(/\s+/).map((part) => {
        const match = /^(\d+)m([\d.]+)s$/.exec(part);
        return match ? Number(match[1]) * 60 + Number(match[2]) : 0;
      });
      if (code === 0) resolve({ bytes: Number(bytes), cpuMs: (seconds[0] + seconds[1]) * 1000 });
      else reject(new Error(`tar | wc exited ${code}`));
    });
  });

const main = async () => {
  const { createContextTarStream } = await import("@/lib/builds/context/create-tar-stream");
  const gc = (globalThis as { gc?: () => void }).gc;

  // Packs the context into `wc -c` through a pipe, as the reference does and as a build writes
  // it to the engine's socket (piped: batches reused once written), and times it; samples RSS
  // every 5 ms while it runs (the collection before it is not timed).
  const packBytes = async (dir: string) => {
    gc?.();
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    try {
      // The destination is open before the clock starts, as the engine's socket is for a build.
      const wc = spawn("wc", ["-c"], { stdio: ["pipe", "pipe", "inherit"] });
      await new Promise((resolve) => wc.once("spawn", resolve));
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      let counted = "";
      wc.stdout.on("data", (data: Buffer) => (counted += data.toString()));
      const exited = new Promise<void>((resolve, reject) => wc.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`wc exited ${code}`)))));
      await pipeline(createContextTarStream(dir, { dockerfile: "Dockerfile" }), wc.stdin);
      await exited;
      const bytes = Number(counted.trim());
      const ms = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      peak = Math.max(peak, process.memoryUsage.rss());
      return { ms, value: { bytes, rssGrowth: peak - before, cpuMs: (cpu.user + cpu.system) / 1000 } };
    } finally {
      clearInterval(sampler);
    }
  };

  const timed = async <T>(fn: () => Promise<T>) => {
    const start = performance.now();
    const value = await fn();
    return { ms: performance.now() - start, value };
  };

  const work = await fs.mkdtemp(path.join(os.tmpdir(), "lb-h16-bench-context-"));
  const cleanup = () => fs.rm(work, { recursive: true, force: true });
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));
  const lines: BenchLine[] = [];
  const table: Array<Record<string, string>> = [];
  try {
    const app = await writeAppContext(path.join(work, "app"), getLauncherEnv().LAYERBOARD_BASE_IMAGE);
    process.stdout.write(`writing a ${CONTEXT_MB} MiB context (${SMALL_FILES} small files)… `);
    const large = await writeLargeContext(path.join(work, "large"), CONTEXT_MB, SMALL_FILES);
    console.log(`done: ${large.smallFiles} small + ${large.bigFiles} large files; ${ROUNDS} rounds, A B A B`);

    const cases = [
      { name: `app context (${app.entries} entries)`, dir: path.join(work, "app"), excludes: app.tarExcludes, target: "≤ 1.2×" },
      { name: `large context (${CONTEXT_MB} MiB, ${large.entries} entries)`, dir: path.join(work, "large"), excludes: [], target: "≥ 90 % of tar throughput (≤ 1.11×)" },
    ];
    for (const item of cases) {
      // Page cache and JIT warm-up (the optimised code comes after a few dozen small packs).
      for (let warm = 0; warm < (item === cases[0] ? 20 : 1); warm += 1) await packBytes(item.dir);
      await tarBytes(item.dir, item.excludes);
      const subject: number[] = [];
      const reference: number[] = [];
      const growth: number[] = [];
      const cpu: number[] = [];
      const referenceCpu: number[] = [];
      let bytes = 0;
      let referenceBytes = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        const steps = [
          async () => {
            const { ms, value } = await packBytes(item.dir);
            subject.push(ms);
            growth.push(value.rssGrowth);
            cpu.push(value.cpuMs);
            bytes = value.bytes;
          },
          async () => {
            const { ms, value } = await timed(() => tarBytes(item.dir, item.excludes));
            reference.push(ms);
            referenceBytes = value.bytes;
            referenceCpu.push(value.cpuMs);
          },
        ];
        for (const step of round % 2 === 0 ? steps : [...steps].reverse()) await step();
        process.stdout.write(`  ${item.name}: round ${round + 1}/${ROUNDS}\r`);
      }
      process.stdout.write("\n");
      // Each round's pair, so that the machine's noise shows beside the medians.
      const pairs = subject.map((value, i) => value / reference[i]).sort((a, b) => a - b);
      console.log(`  ${item.name}: per round, layerboard / tar ms: ${subject.map((value, i) => `${value.toFixed(0)}/${reference[i].toFixed(0)}`).join(" ")}; ratio ${pairs[0].toFixed(2)}–${pairs[pairs.length - 1].toFixed(2)}×`);
      const ms = median(subject)!;
      const refMs = median(reference)!;
      const mibps = (b: number, t: number) => b / 1048576 / (t / 1000);
      const peakGrowth = Math.max(...growth);
      table.push({
        case: item.name,
        layerboard: `${ms.toFixed(1)} ms (${mibps(bytes, ms).toFixed(0)} MiB/s)`,
        "tar -c | wc -c": `${refMs.toFixed(1)} ms (${mibps(referenceBytes, refMs).toFixed(0)} MiB/s)`,
        ratio: `${(ms / refMs).toFixed(2)}×`,
        "throughput vs tar": `${((refMs / ms) * 100).toFixed(0)} %`,
        "per entry": `${((ms * 1000) / (item === cases[0] ? app.entries : large.entries)).toFixed(1)} µs`,
        "CPU lb / tar": `${median(cpu)!.toFixed(0)} / ${median(referenceCpu)!.toFixed(0)} ms (${(median(cpu)! / Math.max(1, median(referenceCpu)!)).toFixed(2)}×)`,
        "peak RSS growth": `${(peakGrowth / 1048576).toFixed(0)} MiB`,
        "tar bytes lb / tar": `${bytes} / ${referenceBytes}`,
        target: item.target,
      });
      lines.push({ bench: BENCH, line: `pack ${item.name}`, value: ms, unit: "ms", reference: refMs, ratio: ratioOf(ms, refMs), target: item.target });
      lines.push({ bench: BENCH, line: `pack ${item.name}: CPU time (user + sys)`, value: median(cpu), unit: "ms", reference: median(referenceCpu), ratio: ratioOf(median(cpu), median(referenceCpu)), target: null });
      if (item !== cases[0]) {
        lines.push({ bench: BENCH, line: `pack ${item.name}: throughput`, value: mibps(bytes, ms), unit: "MiB/s", reference: mibps(referenceBytes, refMs), ratio: ratioOf(mibps(bytes, ms), mibps(referenceBytes, refMs)), target: "≥ 0.90" });
        lines.push({ bench: BENCH, line: `pack ${item.name}: peak RSS growth`, value: peakGrowth / 1048576, unit: "MiB", reference: null, ratio: null, target: "< 150 MiB" });
      }
    }
    console.log(`\nmedians of ${ROUNDS} rounds; node ${process.version}, ${os.cpus().length} CPUs`);
    printTable(table);
    appendBenchLines(lines);
  } finally {
    await cleanup();
  }
};

await main();
process.exit(0);
