// Fault injection for the fault-tolerance and load tests: a second dockerd on its own socket
// and data root that a test may stop, start or kill; a private embedded Postgres on its own
// port that a test may stop and restart; small Dockerfiles; checks that no log line or build
// record was lost or written twice; an SSE reader and the load runner behind load.test.ts and
// `npm run bench:load`. Never touches the main engine or the shared test Postgres. (The engine
// here, unlike pipeline.ts's, is stopped, restarted on the same data root and killed.)
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type DatabaseHandle } from "../../scripts/database";
import { migrateDatabase } from "../../scripts/migrate";
import { findFreePort } from "./test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { POST as postBuild } from "@/app/api/builds/route";
import { GET as getBuildRoute } from "@/app/api/builds/[id]/route";
import { GET as getEvents } from "@/app/api/builds/[id]/events/route";
import {
  BASE_IMAGE,
  callRoute,
  createDirectoryProject,
  processesMatching,
  sleep,
  startChildWorker,
  stopChildWorker,
  waitFor,
  writeContext,
  type ChildWorker,
} from "./pipeline";

// ---- a second Docker engine ----

export type SecondEngine = {
  /** DOCKER_HOST for this engine (unix://…). */
  host: string;
  dir: string;
  isRunning: () => boolean;
  start: () => Promise<void>;
  /** A clean shutdown (SIGTERM, then SIGKILL after 20 s). */
  stop: () => Promise<void>;
  /** A crash: SIGKILL to dockerd and its containerd at once. */
  kill: () => Promise<void>;
  /** Loads `image` from the main engine (a second engine starts with no images). */
  loadImage: (image?: string) => Promise<void>;
  /** Stops the engine, unmounts what it left mounted and deletes its directories. */
  remove: () => Promise<void>;
};

const run = (command: string, args: string[], options: { input?: NodeJS.ReadableStream } = {}): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [options.input ? "pipe" : "ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk) => (out += chunk));
    child.stderr!.on("data", (chunk) => (err += chunk));
    if (options.input) options.input.pipe(child.stdin!);
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${err}`))));
  });

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

/**
 * A dockerd of its own under a fresh /tmp directory (short paths: unix sockets are limited to
 * 108 bytes), in its own network namespace. It manages its own containerd; with `--bridge
 * none` builds on it need LAYERBOARD_NETWORK_MODE=host (and have no network beyond loopback).
 */
export const createSecondEngine = (): SecondEngine => {
  const dir = fs.mkdtempSync("/tmp/lbf-");
  const socket = path.join(dir, "docker.sock");
  const host = `unix://${socket}`;
  let child: ChildProcess | undefined;

  const isRunning = () => !!child && child.exitCode === null && child.signalCode === null;

  const answers = async () => run("docker", ["-H", host, "version", "--format", "{{.Server.Version}}"]).then(() => true, () => false);

  const start = async () => {
    if (isRunning()) return;
    const log = fs.openSync(path.join(dir, "dockerd.log"), "a");
    // Detached: its own process group, so kill() can take dockerd and its containerd together.
    // Its own network namespace (unshare -n, then exec): a dockerd started with `--bridge none`
    // deletes any interface named docker0 at start-up, which in the host's namespace is the
    // main engine's bridge (every RUN on the main engine then fails with "could not find
    // bridge docker0"). In its own namespace it sees only its own loopback.
    child = spawn(
      "unshare",
      [
        "--net",
        "sh",
        "-c",
        'ip link set lo up && exec "$0" "$@"',
        "dockerd",
        "--data-root", path.join(dir, "data"),
        "--exec-root", path.join(dir, "exec"),
        "--pidfile", path.join(dir, "docker.pid"),
        "-H", host,
        "--bridge", "none",
        "--iptables=false",
        "--ip-masq=false",
      ],
      { detached: true, stdio: ["ignore", log, log] },
    );
    fs.closeSync(log);
    const started = child;
    await waitFor("the second dockerd to answer", async () => {
      if (started.exitCode !== null) throw new Error(`dockerd exited ${started.exitCode}: ${fs.readFileSync(path.join(dir, "dockerd.log"), "utf8").slice(-2000)}`);
      return answers();
    }, 60_000, 250);
  };

  const signalGroup = (signal: NodeJS.Signals) => {
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };

  const stop = async () => {
    if (!child || !isRunning()) return;
    const current = child;
    current.kill("SIGTERM");
    const done = await Promise.race([exited(current).then(() => true), sleep(20_000).then(() => false)]);
    if (!done) signalGroup("SIGKILL");
    await exited(current);
    // dockerd stops the containerd it manages on a clean exit; make sure of it.
    signalGroup("SIGKILL");
  };

  const kill = async () => {
    if (!child) return;
    const current = child;
    signalGroup("SIGKILL");
    await exited(current);
  };

  const loadImage = async (image = BASE_IMAGE) => {
    const save = spawn("docker", ["save", image], { stdio: ["ignore", "pipe", "inherit"] });
    await run("docker", ["-H", host, "load", "-q"], { input: save.stdout! });
  };

  const remove = async () => {
    await stop().catch(() => undefined);
    // The killed engine may leave its containerd and shims: they are in its process group or
    // carry its exec root on their command line.
    for (const pid of processesMatching(path.join(dir, "exec"))) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone
      }
    }
    const mounts = fs
      .readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" ")[1])
      .filter((mount) => mount?.startsWith(dir + "/"))
      .sort((a, b) => b.length - a.length);
    for (const mount of mounts) await run("umount", ["-l", mount]).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  return { host, dir, isRunning, start, stop, kill, loadImage, remove };
};

// ---- a private Postgres ----

export type PrivatePostgres = {
  url: string;
  port: number;
  stop: () => Promise<void>;
  /** Starts it again on the same data directory and port. */
  start: () => Promise<void>;
  /** Stops it and deletes its data. */
  remove: () => Promise<void>;
};

/** An embedded Postgres with its own data directory under /tmp and its own port, migrated. */
export const startPrivatePostgres = async (options: { port?: number; database?: string } = {}): Promise<PrivatePostgres> => {
  const port = options.port ?? (await findFreePort());
  const database = options.database ?? "layerboard";
  // Postgres runs as the `postgres` user: it must be able to reach its data directory.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "lbf-pg-"));
  fs.chmodSync(parent, 0o755);
  const dataDir = path.join(parent, "data");
  let handle: DatabaseHandle | undefined = await startEmbeddedPostgres({ dataDir, port, database });
  const url = handle.url;
  migrateDatabase(url);
  return {
    url,
    port,
    stop: async () => {
      await handle?.stop();
      handle = undefined;
    },
    start: async () => {
      handle ??= await startEmbeddedPostgres({ dataDir, port, database });
    },
    remove: async () => {
      await handle?.stop().catch(() => undefined);
      handle = undefined;
      fs.rmSync(parent, { recursive: true, force: true });
    },
  };
};

// ---- small Dockerfiles ----

/** A Dockerfile whose one RUN prints `<marker> line-1` … `line-<lines>`, `intervalS` apart. */
export const printingDockerfile = (marker: string, lines: number, intervalS: number) =>
  [
    `FROM ${BASE_IMAGE}`,
    `RUN echo "start ${marker}" && for i in $(seq 1 ${lines}); do echo "${marker} line-$i"; sleep ${intervalS}; done && echo "done ${marker}"`,
    `CMD ["true"]`,
  ].join("\n");

export const expectedPrintedLines = (marker: string, lines: number) => [
  `start ${marker}`,
  ...Array.from({ length: lines }, (_, i) => `${marker} line-${i + 1}`),
  `done ${marker}`,
];

/** A Dockerfile whose one RUN prints `marker` then sleeps. */
export const sleepingDockerfile = (marker: string, seconds: number) =>
  [`FROM ${BASE_IMAGE}`, `RUN echo ${marker} && sleep ${seconds} && echo "woke ${marker}"`, `CMD ["true"]`].join("\n");

// ---- integrity ----

export type IntegrityReport = { logLines: number; problems: string[] };

/**
 * What "nothing lost, nothing twice" means for one build: its stored log seqs are exactly
 * 1..N with N = Build.logLines, each expected line is there exactly once, and the variant has
 * exactly `buildsPerVariant` Build rows (one per request).
 */
export const checkBuildIntegrity = async (
  client: PrismaClient,
  buildId: string,
  expected: { lines?: string[]; buildsPerVariant?: number } = {},
): Promise<IntegrityReport> => {
  const build = await client.build.findUniqueOrThrow({ where: { id: buildId } });
  const lines = await client.logLine.findMany({ where: { buildId }, orderBy: { seq: "asc" }, select: { seq: true, text: true } });
  const problems: string[] = [];
  const seqs = lines.map((line) => line.seq);
  const gaps = seqs.filter((seq, i) => seq !== i + 1);
  if (gaps.length) problems.push(`log seqs are not 1..${lines.length}: first out of place ${gaps[0]}`);
  if (build.logLines !== lines.length) problems.push(`Build.logLines is ${build.logLines} but ${lines.length} lines are stored`);
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line.text, (counts.get(line.text) ?? 0) + 1);
  for (const text of expected.lines ?? []) {
    const count = counts.get(text) ?? 0;
    if (count !== 1) problems.push(`"${text}" is stored ${count} times`);
  }
  const rows = await client.build.count({ where: { variantId: build.variantId } });
  if (rows !== (expected.buildsPerVariant ?? 1)) problems.push(`${rows} Build rows for the variant, expected ${expected.buildsPerVariant ?? 1}`);
  return { logLines: lines.length, problems };
};

/** Runs `fn`; when it throws, adds the build's state, its last log lines and the workers' output to the error. */
export const withDiagnostics = async <T>(
  context: { client: PrismaClient; buildId?: () => string | undefined; workers?: () => Array<{ output: () => string } | undefined> },
  fn: () => Promise<T>,
): Promise<T> => {
  try {
    return await fn();
  } catch (error) {
    const buildId = context.buildId?.();
    const build = buildId ? await context.client.build.findUnique({ where: { id: buildId } }).catch(() => null) : null;
    const lines = buildId
      ? await context.client.logLine.findMany({ where: { buildId }, orderBy: { seq: "desc" }, take: 15 }).catch(() => [])
      : [];
    const outputs = (context.workers?.() ?? []).map((worker, i) => `--- worker ${i} ---\n${worker?.output().slice(-3000) ?? ""}`);
    const detail = [
      build ? `build ${build.id}: ${build.status} ${build.errorCode ?? ""} ${build.error ?? ""} worker=${build.workerId}` : "",
      ...lines.reverse().map((line) => `  ${line.seq}: ${line.text}`),
      ...outputs,
    ].join("\n");
    if (error instanceof Error) error.message += `\n${detail}`;
    throw error;
  }
};

/** Percentile (nearest rank) of `values`, 0 when empty. */
export const percentile = (values: number[], p: number) => {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

// ---- SSE ----

export type SseEvent = { id?: number; event: string; data: unknown; receivedAt: number };

/** Reads a whole SSE response (the handler closes it after `end`), frame by frame. */
export const readSse = async (response: Response): Promise<SseEvent[]> => {
  if (response.status !== 200) throw new Error(`SSE answered ${response.status}: ${await response.text()}`);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = new Map<string, string>();
      for (const line of frame.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        if (colon >= 0) fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ""));
      }
      if (!fields.has("event")) continue;
      events.push({
        id: fields.has("id") ? Number(fields.get("id")) : undefined,
        event: fields.get("event")!,
        data: JSON.parse(fields.get("data") ?? "null"),
        receivedAt: Date.now(),
      });
    }
  }
  if (buffer.trim()) throw new Error(`SSE stream ended mid-frame: ${buffer.slice(0, 200)}`);
  return events;
};

// ---- load ----

export type LoadOptions = {
  builds: number;
  clients: number;
  workers: number;
  /** Where the per-run context directory goes (must be under LAYERBOARD_CONTEXT_ROOTS). */
  root: string;
  token: string;
  client: PrismaClient;
  runId: string;
  workerEnv?: Record<string, string>;
  /** Lines each build prints in its RUN. */
  lines?: number;
  log?: (message: string) => void;
};

export type LoadResult = {
  builds: number;
  wallMs: number;
  throughputPerMin: number;
  queueMs: { p50: number; p95: number; max: number };
  buildMs: { p50: number; p95: number };
  apiMs: { p50: number; p95: number; max: number; requests: number; errors: number };
  enqueueMs: { p50: number; p95: number };
  sse: { streams: number; complete: number; linesExpected: number; linesReceived: number };
  perWorker: Record<string, number>;
  /** p50 of each pipeline phase, from the stored log lines' timestamps. */
  phasesP50: { engineBuildMs: number; analyseMs: number; smokeMs: number; finishMs: number };
  problems: string[];
};

const LOAD_DOCKERFILE = (lines: number) =>
  [
    `FROM ${BASE_IMAGE}`,
    "ARG LOAD_ID",
    `RUN echo "load $LOAD_ID start" && for i in $(seq 1 ${lines}); do echo "load $LOAD_ID line-$i"; done`,
    `CMD ["true"]`,
  ].join("\n");

/**
 * Queues `builds` builds of a tiny Dockerfile (a distinct build arg each, so none is a cache
 * hit of another) through POST /api/builds, across `workers` child workers, while `clients`
 * concurrent clients each follow builds with GET /api/builds/:id polling and the SSE stream.
 * Then checks that every build SUCCEEDED exactly once and every SSE client saw every line once.
 */
export const runLoad = async (options: LoadOptions): Promise<LoadResult> => {
  const { builds: count, clients, client, token } = options;
  const lines = options.lines ?? 5;
  const log = options.log ?? (() => undefined);
  const problems: string[] = [];
  const slug = `load-${options.runId}`;
  const dir = writeContext(options.root, slug, { Dockerfile: LOAD_DOCKERFILE(lines) });
  const project = await createDirectoryProject(
    slug,
    dir,
    Array.from({ length: count }, (_, i) => ({ name: `v${i + 1}`, buildArgs: { LOAD_ID: `${options.runId}-${i + 1}` } })),
  );

  const workers: ChildWorker[] = [];
  try {
    for (let i = 0; i < options.workers; i++) workers.push(await startChildWorker(options.workerEnv ?? {}));
    log(`${workers.length} workers up; queueing ${count} builds`);

    const startedAt = Date.now();
    const enqueueMs: number[] = [];
    const buildIds = await Promise.all(
      project.variants.map(async (variant) => {
        const t0 = performance.now();
        const response = await callRoute(postBuild, { method: "POST", url: "/api/builds", token, body: { variantId: variant.id } });
        enqueueMs.push(performance.now() - t0);
        if (response.status !== 201) throw new Error(`POST /api/builds answered ${response.status}: ${await response.text()}`);
        return ((await response.json()) as { build: { id: string } }).build.id;
      }),
    );

    // Client c follows builds c, c + clients, … (every build has a follower); with fewer
    // builds than clients, several clients follow the same build.
    const assignments = Array.from({ length: clients }, (_, c) =>
      count <= clients ? [buildIds[c % count]] : buildIds.filter((_, b) => b % clients === c),
    );
    const apiMs: number[] = [];
    let apiErrors = 0;
    const streams: Array<{ buildId: string; events: SseEvent[] }> = [];

    const follow = async (buildId: string) => {
      let finished = false;
      const sse = (async () => {
        const response = await callRoute(getEvents, { url: `/api/builds/${buildId}/events`, token, params: { id: buildId } });
        const events = await readSse(response);
        streams.push({ buildId, events });
      })().finally(() => (finished = true));
      const poll = (async () => {
        while (!finished) {
          const t0 = performance.now();
          const response = await callRoute(getBuildRoute, { url: `/api/builds/${buildId}`, token, params: { id: buildId } });
          const body = (await response.json()) as { build?: { status: string } };
          apiMs.push(performance.now() - t0);
          if (response.status !== 200 || !body.build) apiErrors++;
          await sleep(250);
        }
      })();
      await Promise.all([sse, poll]);
    };
    await Promise.all(assignments.map(async (mine) => {
      for (const buildId of mine) await follow(buildId);
    }));
    const wallMs = Date.now() - startedAt;

    // Every build once, SUCCEEDED, by one of our workers, with one smoke result and its lines.
    const rows = await client.build.findMany({ where: { projectId: project.id }, include: { smoke: true } });
    if (rows.length !== count) problems.push(`${rows.length} Build rows for ${count} requests`);
    const workerIds = new Set(workers.map((w) => w.id));
    const perWorker: Record<string, number> = {};
    const expectedByBuild = new Map<string, string[]>();
    for (const row of rows) {
      const variant = project.variants.find((v) => v.id === row.variantId)!;
      const loadId = (variant.buildArgs as Record<string, string>).LOAD_ID;
      const expected = [`load ${loadId} start`, ...Array.from({ length: lines }, (_, i) => `load ${loadId} line-${i + 1}`)];
      expectedByBuild.set(row.id, expected);
      if (row.status !== "SUCCEEDED") problems.push(`build ${row.id} is ${row.status}: ${row.errorCode ?? ""} ${row.error ?? ""}`);
      if (!row.workerId || !workerIds.has(row.workerId)) problems.push(`build ${row.id} ran on ${row.workerId}`);
      else perWorker[row.workerId] = (perWorker[row.workerId] ?? 0) + 1;
      if (!row.smoke) problems.push(`build ${row.id} has no smoke result`);
      const integrity = await checkBuildIntegrity(client, row.id, { lines: expected });
      problems.push(...integrity.problems.map((p) => `build ${row.id}: ${p}`));
    }

    // Every SSE client saw every stored line exactly once, in order, and then `end`.
    let linesExpected = 0;
    let linesReceived = 0;
    let complete = 0;
    const stored = new Map<string, string[]>();
    for (const id of buildIds) {
      stored.set(id, (await client.logLine.findMany({ where: { buildId: id }, orderBy: { seq: "asc" }, select: { text: true } })).map((l) => l.text));
    }
    for (const { buildId, events } of streams) {
      const want = stored.get(buildId)!;
      const got = events.filter((e) => e.event === "log");
      linesExpected += want.length;
      linesReceived += got.length;
      const ids = got.map((e) => e.id);
      const texts = got.map((e) => (e.data as { text: string }).text);
      const last = events.at(-1);
      const ok =
        ids.every((id, i) => id === i + 1) &&
        texts.length === want.length &&
        texts.every((text, i) => text === want[i]) &&
        last?.event === "end" &&
        (last.data as { status: string }).status === "SUCCEEDED";
      if (ok) complete++;
      else problems.push(`SSE client of ${buildId}: ${got.length}/${want.length} lines, ids ${ids.slice(0, 3).join(",")}…, last event ${last?.event}`);
    }
    if (streams.length !== assignments.flat().length) problems.push(`${streams.length} SSE streams ended, ${assignments.flat().length} opened`);

    const phases = { engineBuildMs: [] as number[], analyseMs: [] as number[], smokeMs: [] as number[], finishMs: [] as number[] };
    for (const row of rows) {
      const timed = await client.logLine.findMany({ where: { buildId: row.id }, orderBy: { seq: "asc" }, select: { text: true, at: true } });
      const lastRun = timed.findLast((l) => l.text === expectedByBuild.get(row.id)!.at(-1));
      const image = timed.find((l) => l.text.startsWith("[layerboard] image "));
      const smoke = timed.find((l) => l.text.startsWith("[layerboard] smoke run passed"));
      if (!row.startedAt || !row.finishedAt || !lastRun || !image || !smoke) continue;
      phases.engineBuildMs.push(lastRun.at.getTime() - row.startedAt.getTime());
      phases.analyseMs.push(image.at.getTime() - lastRun.at.getTime());
      phases.smokeMs.push(smoke.at.getTime() - image.at.getTime());
      phases.finishMs.push(row.finishedAt.getTime() - smoke.at.getTime());
    }
    const queueMs = rows.filter((r) => r.startedAt).map((r) => r.startedAt!.getTime() - r.queuedAt.getTime());
    const buildMs = rows.filter((r) => r.durationMs !== null).map((r) => r.durationMs!);
    return {
      builds: count,
      wallMs,
      throughputPerMin: (count / wallMs) * 60_000,
      queueMs: { p50: percentile(queueMs, 50), p95: percentile(queueMs, 95), max: Math.max(0, ...queueMs) },
      buildMs: { p50: percentile(buildMs, 50), p95: percentile(buildMs, 95) },
      apiMs: { p50: percentile(apiMs, 50), p95: percentile(apiMs, 95), max: Math.max(0, ...apiMs), requests: apiMs.length, errors: apiErrors },
      enqueueMs: { p50: percentile(enqueueMs, 50), p95: percentile(enqueueMs, 95) },
      sse: { streams: streams.length, complete, linesExpected, linesReceived },
      perWorker,
      phasesP50: {
        engineBuildMs: percentile(phases.engineBuildMs, 50),
        analyseMs: percentile(phases.analyseMs, 50),
        smokeMs: percentile(phases.smokeMs, 50),
        finishMs: percentile(phases.finishMs, 50),
      },
      problems,
    };
  } finally {
    for (const worker of workers) await stopChildWorker(worker);
  }
};

export const formatLoadResult = (r: LoadResult) =>
  [
    `${r.builds} builds in ${(r.wallMs / 1000).toFixed(1)} s: ${r.throughputPerMin.toFixed(1)} builds/min; per worker ${JSON.stringify(Object.values(r.perWorker))}`,
    `time in queue p50 ${(r.queueMs.p50 / 1000).toFixed(1)} s, p95 ${(r.queueMs.p95 / 1000).toFixed(1)} s, max ${(r.queueMs.max / 1000).toFixed(1)} s; build duration p50 ${(r.buildMs.p50 / 1000).toFixed(1)} s, p95 ${(r.buildMs.p95 / 1000).toFixed(1)} s`,
    `GET /api/builds/:id under load: ${r.apiMs.requests} requests, p50 ${r.apiMs.p50.toFixed(0)} ms, p95 ${r.apiMs.p95.toFixed(0)} ms, max ${r.apiMs.max.toFixed(0)} ms, ${r.apiMs.errors} errors; POST /api/builds p50 ${r.enqueueMs.p50.toFixed(0)} ms, p95 ${r.enqueueMs.p95.toFixed(0)} ms`,
    `pipeline phases p50: engine build ${(r.phasesP50.engineBuildMs / 1000).toFixed(1)} s, image analysis ${(r.phasesP50.analyseMs / 1000).toFixed(1)} s, smoke run ${(r.phasesP50.smokeMs / 1000).toFixed(1)} s, finish ${(r.phasesP50.finishMs / 1000).toFixed(1)} s`,
    `SSE: ${r.sse.complete}/${r.sse.streams} streams complete, ${r.sse.linesReceived}/${r.sse.linesExpected} lines delivered`,
  ].join("\n");
