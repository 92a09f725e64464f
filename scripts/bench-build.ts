// Benchmarks the build step against the docker CLI on the same engine, in the same run:
// build (classic: `DOCKER_BUILDKIT=0 docker build`; BuildKit: `DOCKER_BUILDKIT=1 docker build`
// with a client that builds with BuildKit natively, found below), analysis, smoke run, context tar.
// The build lines time what the pipeline does up to the build's result (context packing, the
// build, the image analysis); database writes, smoke run and content analysis are not in them.
//
// Usage: npm run bench:build   (env: BENCH_ROUNDS=5, BENCH_CONTEXT_MB=200, LAYERBOARD_BASE_IMAGE)
// Prints figures only; it never fails on a timing. The engine is shared with other builds, so
// reference and subject are interleaved round by round (order alternating) and medians reported.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { getLauncherEnv } from "@/lib/env";
import { appendBenchLines, ratioOf, type BenchLine } from "@/lib/harness/bench-json-lines";
import { writeAppContext } from "@/lib/harness/bench-contexts";

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const CONTEXT_MB = Math.max(1, Number(process.env.BENCH_CONTEXT_MB ?? 200));
const BASE_IMAGE = getLauncherEnv().LAYERBOARD_BASE_IMAGE;
const TAG_PREFIX = `layerboard-bench/build-${process.pid}`;

// ---------------------------------------------------------------------------------------------
// Small helpers: timing, child processes, statistics.

type RunResult = { code: number | null; stdout: string; stderr: string };

const run = (command: string, args: string[], options: { env?: Record<string, string>; discardStdout?: boolean } = {}) =>
  new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", options.discardStdout ? "ignore" : "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

const runChecked = async (command: string, args: string[], options: Parameters<typeof run>[2] = {}) => {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
  return result;
};

const timed = async <T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const formatMs = (ms: number | null) => (ms === null ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const spread = (values: number[]) => (values.length ? `${formatMs(Math.min(...values))}–${formatMs(Math.max(...values))}` : "—");

type Row = { name: string; subject: number[]; reference: number[]; referenceName: string; note: string; target?: string };
const rows: Row[] = [];

// ---------------------------------------------------------------------------------------------
// Fixtures: a small app context (with a .dockerignore'd folder) and a ~200 MB context.

// The ~300-file app context is the one bench:context packs too (lib/harness/bench-contexts.ts).
const writeSmallContext = (dir: string) => writeAppContext(dir, BASE_IMAGE);

const writeBigContext = async (dir: string, megabytes: number) => {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "Dockerfile"), `FROM ${BASE_IMAGE}\nCOPY . /data\n`);
  // Mostly 1 MiB files plus 2,000 small ones, to weigh both throughput and per-file cost.
  const small = path.join(dir, "small");
  await fs.mkdir(small, { recursive: true });
  for (let f = 0; f < 2000; f += 1) await fs.writeFile(path.join(small, `f${f}.txt`), randomBytes(2048).toString("hex"));
  const big = path.join(dir, "big");
  await fs.mkdir(big, { recursive: true });
  const bigFiles = Math.max(1, megabytes - 8);
  for (let f = 0; f < bigFiles; f += 1) await fs.writeFile(path.join(big, `b${f}.bin`), randomBytes(1024 * 1024));
};

// A docker client that builds with BuildKit without buildx: the 20.10 client of Debian's docker.io
// (/usr/bin/docker) does with DOCKER_BUILDKIT=1; the 28.x client asks for buildx instead.
const findBuildkitClient = async (contextDir: string): Promise<{ client: string | null; reason: string }> => {
  const reasons: string[] = [];
  for (const client of [process.env.BENCH_BUILDKIT_CLIENT, "/usr/bin/docker", "docker"].filter(Boolean) as string[]) {
    const result = await run(client, ["build", "-q", "--build-arg", `BASE_IMAGE=${BASE_IMAGE}`, contextDir], { env: { DOCKER_BUILDKIT: "1" } }).catch(
      (error: Error) => ({ code: -1, stdout: "", stderr: error.message }),
    );
    if (result.code === 0) return { client, reason: "" };
    reasons.push(`${client}: ${result.stderr.trim().split("\n").pop()}`);
  }
  return { client: null, reason: reasons.join("; ") };
};

// ---------------------------------------------------------------------------------------------

const main = async () => {
  const { getDocker } = await import("@/lib/docker/client");
  const { buildImage } = await import("@/lib/docker/build-image");
  const { isDockerfileStep } = await import("@/lib/docker/build-stream");
  const { analyseImage } = await import("@/lib/docker/analyse-image");
  const { runSmoke } = await import("@/lib/docker/smoke-run");
  const { createContextTarStream } = await import("@/lib/builds/context/create-tar-stream");

  const docker = getDocker();
  const engine = (await docker.version()) as { Version: string; ApiVersion: string };
  const info = (await docker.info()) as { Driver: string; NCPU: number; ContainersRunning: number };
  await docker.getImage(BASE_IMAGE).inspect().catch(() => {
    throw new Error(`base image ${BASE_IMAGE} is not on the engine (npm run base-image)`);
  });

  const work = await fs.mkdtemp(path.join(os.tmpdir(), "layerboard-bench-build-"));
  const smallDir = path.join(work, "app");
  const bigDir = path.join(work, "big");
  const createdImages = new Set<string>();
  const tags = new Set<string>();

  const cleanup = async () => {
    for (const tag of tags) await run("docker", ["image", "rm", tag]);
    for (const id of createdImages) await run("docker", ["image", "rm", id]);
    await fs.rm(work, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    void cleanup().finally(() => process.exit(130));
  });

  try {
    console.log(`engine ${engine.Version} (API ${engine.ApiVersion}), ${info.Driver}, ${info.NCPU} CPUs, ${info.ContainersRunning} containers running at start`);
    console.log(`base image ${BASE_IMAGE}; ${ROUNDS} rounds, reference and subject interleaved (order alternating)\n`);
    const { files, ignoredBytes } = await writeSmallContext(smallDir);
    console.log(`app context: ${files} source files in 12 folders + 12 *.log and a ${(ignoredBytes / 1048576).toFixed(0)} MiB ignored/ folder excluded by .dockerignore; 8 steps (2 RUN, 2 COPY)`);

    // -- (a) builds -------------------------------------------------------------------------
    const cliTag = `${TAG_PREFIX}:cli`;
    const lbTag = `${TAG_PREFIX}:classic`;
    const bkTag = `${TAG_PREFIX}:buildkit`;
    [cliTag, lbTag, bkTag].forEach((tag) => tags.add(tag));

    const cliBuild = async (noCache: boolean) => {
      const iidFile = path.join(work, "iid");
      const args = ["build", "-t", cliTag, "--iidfile", iidFile, "--build-arg", `BASE_IMAGE=${BASE_IMAGE}`, "--rm", "--force-rm"];
      if (noCache) args.push("--no-cache");
      const { ms, value } = await timed(() => runChecked("docker", [...args, smallDir], { env: { DOCKER_BUILDKIT: "0" } }));
      createdImages.add((await fs.readFile(iidFile, "utf8")).trim());
      return { ms, cacheHits: (value.stdout.match(/Using cache/g) ?? []).length };
    };
    const cliBkTag = `${TAG_PREFIX}:cli-buildkit`;
    tags.add(cliBkTag);
    const buildkitClient = await findBuildkitClient(smallDir);
    console.log(
      buildkitClient.client
        ? `BuildKit reference: DOCKER_BUILDKIT=1 ${buildkitClient.client} build`
        : `BuildKit reference missing: ${buildkitClient.reason}`,
    );
    const cliBuildkitBuild = async (noCache: boolean) => {
      const iidFile = path.join(work, "iid-bk");
      const args = ["build", "-t", cliBkTag, "--iidfile", iidFile, "--build-arg", `BASE_IMAGE=${BASE_IMAGE}`, "--progress", "plain"];
      if (noCache) args.push("--no-cache");
      const { ms, value } = await timed(() => runChecked(buildkitClient.client!, [...args, smallDir], { env: { DOCKER_BUILDKIT: "1" } }));
      createdImages.add((await fs.readFile(iidFile, "utf8")).trim());
      return { ms, cacheHits: (value.stderr.match(/\bCACHED\b/g) ?? []).length };
    };

    const layerboardBuild = async (builder: "CLASSIC" | "BUILDKIT", noCache: boolean) => {
      let cacheHits = 0;
      const cachedByDigest = new Map<string, boolean>();
      const { ms, value } = await timed(() =>
        buildImage({
          docker,
          // Packing the tar is part of the measured work, as it is for the CLI.
          context: createContextTarStream(smallDir, { dockerfile: "Dockerfile" }),
          dockerfile: "Dockerfile",
          buildArgs: { BASE_IMAGE },
          noCache,
          tag: builder === "CLASSIC" ? lbTag : bkTag,
          builder,
          onEvent: (event) => {
            if (event.type === "log" && /Using cache/.test(event.text)) cacheHits += 1;
            if (event.type === "step" && isDockerfileStep(event.step)) cachedByDigest.set(event.step.digest, event.step.cached);
          },
        }),
      );
      createdImages.add(value.imageId);
      if (builder === "BUILDKIT") cacheHits = [...cachedByDigest.values()].filter(Boolean).length;
      // The pipeline's analysis before the result is recorded (no export: exportWhenAmbiguous false).
      const analysed = await timed(() => analyseImage(value.imageId, { docker, baseImage: BASE_IMAGE, exportWhenAmbiguous: false }));
      return { ms: ms + analysed.ms, buildMs: ms, cacheHits, steps: cachedByDigest.size, imageId: value.imageId };
    };

    // Warm-up: fills the caches (and the page cache for the context) before any cached round.
    process.stdout.write("warming up… ");
    await cliBuild(false);
    if (buildkitClient.client) await cliBuildkitBuild(false);
    const warm = await layerboardBuild("CLASSIC", false);
    await layerboardBuild("BUILDKIT", false);
    console.log("done");

    for (const noCache of [false, true]) {
      const label = noCache ? "uncached (noCache)" : "cached";
      const cli: number[] = [];
      const lb: number[] = [];
      const bk: number[] = [];
      const cliBk: number[] = [];
      const buildOnly = { lb: [] as number[], bk: [] as number[] };
      const hits = { cli: new Set<number>(), lb: new Set<number>(), bk: new Set<number>(), cliBk: new Set<number>() };
      for (let round = 0; round < ROUNDS; round += 1) {
        const order = round % 2 === 0 ? ["cli", "lb", "cliBk", "bk"] : ["bk", "cliBk", "lb", "cli"];
        for (const who of order) {
          if (who === "cliBk") {
            if (!buildkitClient.client) continue;
            const r = await cliBuildkitBuild(noCache);
            cliBk.push(r.ms);
            hits.cliBk.add(r.cacheHits);
          } else if (who === "cli") {
            const r = await cliBuild(noCache);
            cli.push(r.ms);
            hits.cli.add(r.cacheHits);
          } else if (who === "lb") {
            const r = await layerboardBuild("CLASSIC", noCache);
            lb.push(r.ms);
            buildOnly.lb.push(r.buildMs);
            hits.lb.add(r.cacheHits);
          } else {
            const r = await layerboardBuild("BUILDKIT", noCache);
            bk.push(r.ms);
            buildOnly.bk.push(r.buildMs);
            hits.bk.add(r.cacheHits);
          }
        }
        process.stdout.write(`  build ${label}: round ${round + 1}/${ROUNDS}\r`);
      }
      process.stdout.write("\n");
      rows.push({
        name: `build classic, ${label}`,
        subject: lb,
        reference: cli,
        referenceName: "docker build (DOCKER_BUILDKIT=0)",
        note: `pack+build+analyse; build alone ${formatMs(median(buildOnly.lb))}; cache hits: CLI ${[...hits.cli].join("/")}, Layerboard ${[...hits.lb].join("/")}`,
        target: "≤ 1.03×",
      });
      rows.push({
        name: `build BuildKit, ${label}`,
        subject: bk,
        reference: cliBk,
        referenceName: buildkitClient.client ? `DOCKER_BUILDKIT=1 ${buildkitClient.client} build` : `(missing: ${buildkitClient.reason})`,
        note: `pack+build+analyse; build alone ${formatMs(median(buildOnly.bk))}; cached steps: CLI ${[...hits.cliBk].join("/")}, Layerboard ${[...hits.bk].join("/")}`,
        target: "≤ 1.03×",
      });
    }

    // -- (b) analysis -------------------------------------------------------------------------
    const image = warm.imageId;
    const analysed = await analyseImage(image, { docker, baseImage: BASE_IMAGE });
    const analysis: number[] = [];
    const cliAnalysis: number[] = [];
    const save: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const steps = [
        async () => analysis.push((await timed(() => analyseImage(image, { docker, baseImage: BASE_IMAGE }))).ms),
        async () =>
          cliAnalysis.push(
            (
              await timed(async () => {
                await runChecked("docker", ["history", "--no-trunc", image]);
                await runChecked("docker", ["image", "inspect", image]);
              })
            ).ms,
          ),
        async () => save.push((await timed(() => runChecked("docker", ["save", image], { discardStdout: true }))).ms),
      ];
      for (const step of round % 2 === 0 ? steps : [...steps].reverse()) await step();
    }
    const sizeMb = (analysed.totalSize / 1048576).toFixed(0);
    rows.push({
      name: `analyseImage (${analysed.layers.length} entries, ${sizeMb} MiB)`,
      subject: analysis,
      reference: cliAnalysis,
      referenceName: "docker history + docker image inspect",
      note: `mapping ${analysed.mappingExact ? "settled from history + inspect, no export" : "ambiguous: the export was read"}`,
    });
    rows.push({
      name: "  same, against docker save",
      subject: analysis,
      reference: save,
      referenceName: "docker save > /dev/null",
      note: "the export (read only when the history is ambiguous, after the result in the pipeline)",
    });
    const exportCost: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const { readImageConfig } = await import("@/lib/docker/analyse-image");
      exportCost.push((await timed(() => readImageConfig(docker, image))).ms);
    }
    rows.push({
      name: "  reading the config from the export (ambiguous mappings only)",
      subject: exportCost,
      reference: save,
      referenceName: "docker save > /dev/null",
      note: "off the critical path: refineLayerMappings after the final status",
    });

    // -- (d) smoke run ------------------------------------------------------------------------
    const smoke: number[] = [];
    const cliSmoke: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const steps = [
        async () => {
          const { ms, value } = await timed(() => runSmoke(image, { docker }));
          if (!value.runs) throw new Error(`smoke run failed: ${value.error ?? value.outputTail}`);
          smoke.push(ms);
        },
        async () =>
          cliSmoke.push((await timed(() => runChecked("docker", ["run", "--rm", "--network", "none", "--memory", "512m", image]))).ms),
      ];
      for (const step of round % 2 === 0 ? steps : [...steps].reverse()) await step();
    }
    rows.push({
      name: "runSmoke",
      subject: smoke,
      reference: cliSmoke,
      referenceName: "docker run --rm --network none --memory 512m",
      note: "runSmoke also reads logs and inspects OOM state",
    });

    // -- (c) context tar: the app context (per-file cost) and a big one (throughput) -------------
    const countTar = (dir: string) =>
      new Promise<number>((resolve, reject) => {
        let bytes = 0;
        const stream = createContextTarStream(dir, { dockerfile: "Dockerfile" });
        stream.on("data", (chunk: Buffer) => (bytes += chunk.length));
        stream.on("end", () => resolve(bytes));
        stream.on("error", reject);
      });
    const appTarMs: number[] = [];
    const cliAppTarMs: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const steps = [
        async () => appTarMs.push((await timed(() => countTar(smallDir))).ms),
        async () =>
          cliAppTarMs.push(
            (await timed(() => runChecked("bash", ["-c", `tar -C '${smallDir}' --exclude=./ignored --exclude='*.log' -cf - . | wc -c`]))).ms,
          ),
      ];
      for (const step of round % 2 === 0 ? steps : [...steps].reverse()) await step();
    }
    rows.push({
      name: `createTarStream, app context (${files + 3} entries)`,
      subject: appTarMs,
      reference: cliAppTarMs,
      referenceName: "tar -c --exclude … | wc -c",
      note: `${((median(appTarMs) * 1000) / (files + 3)).toFixed(0)} µs per file; part of every build above`,
    });

    process.stdout.write(`writing a ${CONTEXT_MB} MiB context… `);
    await writeBigContext(bigDir, CONTEXT_MB);
    console.log("done");
    const cliTar = async () => Number((await runChecked("bash", ["-c", `tar -C '${bigDir}' -cf - . | wc -c`])).stdout.trim());
    await countTar(bigDir); // page cache warm-up
    const tarMs: number[] = [];
    const cliTarMs: number[] = [];
    let tarBytes = 0;
    let cliTarBytes = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const steps = [
        async () => {
          const { ms, value } = await timed(() => countTar(bigDir));
          tarMs.push(ms);
          tarBytes = value;
        },
        async () => {
          const { ms, value } = await timed(cliTar);
          cliTarMs.push(ms);
          cliTarBytes = value;
        },
      ];
      for (const step of round % 2 === 0 ? steps : [...steps].reverse()) await step();
    }
    const mbps = (bytes: number, ms: number) => `${((bytes / 1048576) / (ms / 1000)).toFixed(0)} MiB/s`;
    rows.push({
      name: `createTarStream (${(tarBytes / 1048576).toFixed(0)} MiB, ${2000 + Math.max(1, CONTEXT_MB - 8)} files)`,
      subject: tarMs,
      reference: cliTarMs,
      referenceName: "tar -c | wc -c",
      note: `${mbps(tarBytes, median(tarMs))} vs ${mbps(cliTarBytes, median(cliTarMs))}`,
    });

    // -- report ---------------------------------------------------------------------------------
    const table = rows.map((row) => {
      const subject = median(row.subject);
      const reference = row.reference.length ? median(row.reference) : null;
      return {
        case: row.name,
        layerboard: formatMs(subject),
        "lb min–max": spread(row.subject),
        reference: row.referenceName,
        "ref median": formatMs(reference),
        "ref min–max": spread(row.reference),
        "ratio lb/ref": reference ? `${(subject / reference).toFixed(2)}×` : "—",
        note: row.note,
      };
    });
    console.log(`\nmedians of ${ROUNDS} rounds`);
    printTable(table);
    appendBenchLines(
      rows.map((row): BenchLine => {
        const value = median(row.subject);
        const reference = row.reference.length ? median(row.reference) : null;
        return { bench: "build", line: row.name.trim(), value, unit: "ms", reference, ratio: ratioOf(value, reference), target: row.target ?? null };
      }),
    );
  } finally {
    await cleanup();
  }
};

const printTable = (data: Array<Record<string, string>>) => {
  const columns = Object.keys(data[0]);
  const widths = columns.map((column) => Math.max(column.length, ...data.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ");
  console.log(line(columns));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of data) console.log(line(columns.map((column) => row[column])));
};

await main();
process.exit(0);
