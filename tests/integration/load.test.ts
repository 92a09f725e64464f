// Load: N builds (LAYERBOARD_LOAD_BUILDS, default 10) across two worker processes on the real
// engine while 20 concurrent clients poll GET /api/builds/:id and follow the SSE stream: every
// build SUCCEEDED exactly once and every client saw every log line exactly once.
// `npm run bench:load` is the full-size run (50 builds) on a private database.
import { afterAll, describe, expect, it } from "vitest";
import { POST as postBuild } from "@/app/api/builds/route";
import { GET as getBuild } from "@/app/api/builds/[id]/route";
import { GET as getBuildEvents } from "@/app/api/builds/[id]/events/route";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/data/api-tokens";
import { formatLoadResult, runLoad } from "@/lib/harness/run-load";
import { usePipelineRun } from "../support/pipeline";

const run = usePipelineRun("BUILDER");
const { root, id } = run;
const builds = Number(process.env.LAYERBOARD_LOAD_BUILDS ?? 10);

// Twenty viewers, each with a token of their own: live streams are limited per token.
const createViewerTokens = async (count: number) => {
  const { id: createdById } = await db.user.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  return Promise.all(Array.from({ length: count }, async (_, c) => (await createApiToken({ name: `load ${id} viewer ${c + 1}`, role: "VIEWER", createdById })).token));
};

afterAll(async () => {
  // Removed by the run's clean-up, which comes after this.
  const tags = await db.build.findMany({ where: { project: { slug: `load-${id}` } }, select: { imageTag: true } });
  run.images.push(...tags.map((t) => t.imageTag));
});

describe("under load", () => {
  it(`runs ${builds} builds on 2 workers with 20 clients following, each build once and every line to every client once`, async () => {
    const followerTokens = await createViewerTokens(20);
    const result = await runLoad({ routes: { postBuild, getBuild, getBuildEvents }, builds, clients: 20, workers: 2, root, token: run.token, followerTokens, client: db, runId: id, log: (m) => console.info(`[load] ${m}`) });
    console.info(`[load]\n${formatLoadResult(result)}`);
    expect(result.problems).toEqual([]);
    expect(Object.values(result.perWorker).reduce((a, b) => a + b, 0)).toBe(builds);
    expect(result.sse.complete).toBe(result.sse.streams);
    expect(result.sse.linesReceived).toBe(result.sse.linesExpected);
    expect(result.apiMs.errors).toBe(0);
  });
});
