// The load runner behind load.test.ts and `npm run bench:load`: many builds queued through the
// API across child workers while clients poll the API and follow the SSE streams, then checks
// that nothing was lost or done twice. Route handlers are passed in (lib does not import app/).
import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";
import { checkBuildIntegrity } from "./build-integrity";
import { callRoute, type RouteHandler } from "./call-route";
import { createDirectoryProject } from "./directory-project";
import { startChildWorker, stopChildWorker, type ChildWorker } from "./child-worker";
import { readSse, type SseEvent } from "./read-sse";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Percentile (nearest rank) of `values`, 0 when empty. */
const percentile = (values: number[], p: number) => {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

/** The handlers of POST /api/builds, GET /api/builds/:id and GET /api/builds/:id/events. */
export type LoadRoutes = {
  postBuild: RouteHandler<Record<string, string>>;
  getBuild: RouteHandler<{ id: string }>;
  getBuildEvents: RouteHandler<{ id: string }>;
};

export type LoadOptions = {
  routes: LoadRoutes;
  builds: number;
  clients: number;
  workers: number;
  /** Where the per-run context directory goes (must be under LAYERBOARD_CONTEXT_ROOTS). */
  root: string;
  token: string;
  /** One token per following client (real viewers each have their own; live streams are limited per token). */
  followerTokens?: string[];
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

const renderLoadDockerfile = (lines: number) =>
  [
    `FROM ${getEnv().LAYERBOARD_BASE_IMAGE}`,
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
  const { postBuild, getBuild, getBuildEvents } = options.routes;
  const dir = path.join(options.root, slug);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Dockerfile"), renderLoadDockerfile(lines));
  const project = await createDirectoryProject(
    client,
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

    const follow = async (buildId: string, followerToken: string) => {
      let finished = false;
      const sse = (async () => {
        const response = await callRoute(getBuildEvents, { url: `/api/builds/${buildId}/events?from=0`, token: followerToken, params: { id: buildId } });
        const events = await readSse(response);
        streams.push({ buildId, events });
      })().finally(() => (finished = true));
      const poll = (async () => {
        while (!finished) {
          const t0 = performance.now();
          const response = await callRoute(getBuild, { url: `/api/builds/${buildId}`, token: followerToken, params: { id: buildId } });
          const body = (await response.json()) as { build?: { status: string } };
          apiMs.push(performance.now() - t0);
          if (response.status !== 200 || !body.build) apiErrors++;
          await sleep(250);
        }
      })();
      await Promise.all([sse, poll]);
    };
    await Promise.all(assignments.map(async (mine, c) => {
      for (const buildId of mine) await follow(buildId, options.followerTokens?.[c] ?? token);
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
