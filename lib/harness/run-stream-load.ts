// The live-log part of `npm run bench:load` (issue 14): 4 builds running on a child worker,
// interactive requests timed first with nobody following (the reference, same run), then while
// 500 viewers (one token per 8, the per-token limit) follow their live logs.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";
import { callRoute, type RouteHandler } from "./call-route";
import { createDirectoryProject } from "./directory-project";
import { startChildWorker, stopChildWorker, type ChildWorker } from "./child-worker";
import { interactiveLatency, openSseCrowd } from "./sse-crowd";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

export type StreamLoadRoutes = {
  postBuild: RouteHandler<Record<string, string>>;
  getBuild: RouteHandler<{ id: string }>;
  getProjects: RouteHandler<Record<string, string>>;
  getBuildEvents: RouteHandler<{ id: string }>;
  cancelBuild: RouteHandler<{ id: string }>;
};

export type StreamLoadResult = {
  viewers: number;
  builds: number;
  quiet: { p50: number; p95: number; max: number };
  followed: { p50: number; p95: number; max: number };
  frames: number;
  errors: number;
  rssGrowthMb: number;
};

export const runStreamLoad = async (options: {
  routes: StreamLoadRoutes;
  client: PrismaClient;
  root: string;
  runId: string;
  /** A builder token (queues and cancels). */
  token: string;
  /** Viewer tokens; each follows at most 8 streams. */
  viewerTokens: string[];
  viewers?: number;
  builds?: number;
  rounds?: number;
  log?: (message: string) => void;
}): Promise<StreamLoadResult> => {
  const { routes, client, token } = options;
  const viewers = options.viewers ?? 500;
  const count = options.builds ?? 4;
  const rounds = options.rounds ?? 40;
  const log = options.log ?? (() => undefined);
  const slug = `streams-${options.runId}`;
  const dir = path.join(options.root, slug);
  fs.mkdirSync(dir, { recursive: true });
  // A line every 50 ms for up to 10 minutes: the builds run until they are cancelled.
  fs.writeFileSync(
    path.join(dir, "Dockerfile"),
    [`FROM ${getEnv().LAYERBOARD_BASE_IMAGE}`, "ARG LOAD_ID", `RUN for i in $(seq 1 12000); do echo "stream $LOAD_ID line-$i"; sleep 0.05; done`, `CMD ["true"]`].join("\n"),
  );
  const project = await createDirectoryProject(client, slug, dir, Array.from({ length: count }, (_, i) => ({ name: `s${i + 1}`, buildArgs: { LOAD_ID: `${options.runId}-s${i + 1}` }, noCache: true })));
  let worker: ChildWorker | undefined;
  const buildIds: string[] = [];
  try {
    worker = await startChildWorker({ LAYERBOARD_WORKER_CONCURRENCY: String(count) });
    for (const variant of project.variants) {
      const response = await callRoute(routes.postBuild, { method: "POST", url: "/api/builds", token, body: { variantId: variant.id } });
      if (response.status !== 201) throw new Error(`POST /api/builds answered ${response.status}: ${await response.text()}`);
      buildIds.push(((await response.json()) as { build: { id: string } }).build.id);
    }
    const deadline = Date.now() + 240_000;
    while ((await client.build.count({ where: { id: { in: buildIds }, status: "RUNNING", logLines: { gte: 50 } } })) < count) {
      if (Date.now() > deadline) throw new Error(`the ${count} builds did not all run within 240 s`);
      await sleep(500);
    }
    const viewer = options.viewerTokens[0];
    const requests = [
      () => callRoute(routes.getProjects, { url: "/api/projects", token: viewer }),
      () => callRoute(routes.getBuild, { url: `/api/builds/${buildIds[0]}`, token: viewer, params: { id: buildIds[0] } }),
    ];
    log(`${count} builds running; interactive requests with nobody following…`);
    const quiet = await interactiveLatency(requests, rounds, 100);
    const rssBefore = process.memoryUsage().rss;
    log(`${viewers} viewers follow the ${count} live logs…`);
    const crowd = await openSseCrowd({
      getEvents: routes.getBuildEvents,
      followers: Array.from({ length: viewers }, (_, i) => ({ buildId: buildIds[i % count], token: options.viewerTokens[Math.floor(i / 8) % options.viewerTokens.length] })),
    });
    try {
      await crowd.waitForLogs(1, 120_000);
      const followed = await interactiveLatency(requests, rounds, 100);
      const rssGrowthMb = Math.round((process.memoryUsage().rss - rssBefore) / 1024 / 1024);
      const refused = crowd.followers.filter((f) => f.status !== 200).length;
      const summary = (ms: number[]) => ({ p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms) });
      return {
        viewers,
        builds: count,
        quiet: summary(quiet.ms),
        followed: summary(followed.ms),
        frames: crowd.followers.reduce((sum, f) => sum + f.logs, 0),
        errors: refused + [...quiet.statuses, ...followed.statuses].filter((status) => status !== 200).length,
        rssGrowthMb,
      };
    } finally {
      await crowd.abortAll();
    }
  } finally {
    for (const id of buildIds) await callRoute(routes.cancelBuild, { method: "POST", url: `/api/builds/${id}/cancel`, token, params: { id } }).catch(() => undefined);
    await stopChildWorker(worker);
  }
};

export const formatStreamLoadResult = (r: StreamLoadResult) =>
  `interactive p95 while ${r.viewers} viewers follow live logs of ${r.builds} running builds: ${r.followed.p95.toFixed(0)} ms ` +
  `(p50 ${r.followed.p50.toFixed(0)}, max ${r.followed.max.toFixed(0)}); with nobody following: p95 ${r.quiet.p95.toFixed(0)} ms; ` +
  `ratio ${(r.followed.p95 / Math.max(1, r.quiet.p95)).toFixed(2)}; ${r.frames} log frames delivered, ${r.errors} errors, server RSS +${r.rssGrowthMb} MB`;
