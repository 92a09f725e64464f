// The pull-request view (issue 15 item 5) on a local two-commit repository (no network), through
// the real CLI (scripts/cli.mjs) against the real route handler, a real worker and engine: both
// refs built once, the Markdown report with size, delta, runs, budget and the layer that grew;
// exit 0 with no budget, then exit 1 on a budget breach, reusing the same two builds.
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import * as pullRequestRoute from "@/app/api/projects/[id]/pull-request-report/route";
import { BASE_IMAGE, REPO, usePipelineRun } from "../support/pipeline";
import { createTestRepo } from "../support/git-repo";

const run = usePipelineRun("BUILDER");
const execFileP = promisify(execFile);
let worker: WorkerHandle;
let server: http.Server;
let url: string;
let projectId: string;
let slug: string;
let baseSha: string;
let headSha: string;

// Only the pull-request route: what the CLI calls in this mode.
const serve = (request: http.IncomingMessage, response: http.ServerResponse) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    const match = /^\/api\/projects\/([^/?]+)\/pull-request-report(\?|$)/.exec(request.url ?? "");
    const handler = match && (request.method === "POST" ? pullRequestRoute.POST : request.method === "GET" ? pullRequestRoute.GET : null);
    if (!match || !handler) return response.writeHead(404).end("{}");
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const answer = await handler(
      new Request(`${url}${request.url}`, { method: request.method, headers: request.headers as Record<string, string>, body }),
      { params: Promise.resolve({ id: decodeURIComponent(match[1]) }) },
    );
    response.writeHead(answer.status, { "content-type": "application/json" }).end(Buffer.from(await answer.arrayBuffer()));
  });
};

const cli = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [path.join(REPO, "scripts/cli.mjs"), ...args], {
      env: { ...process.env, LAYERBOARD_URL: url, LAYERBOARD_TOKEN: run.token },
      maxBuffer: 8 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

beforeAll(async () => {
  const repo = createTestRepo(run.root, `pr-${run.id}`);
  const dockerfile = (extra: string[]) => [`FROM ${BASE_IMAGE}`, `RUN echo pr-${run.id} > /marker`, ...extra, `CMD ["true"]`, ""].join("\n");
  baseSha = repo.commit("base", { Dockerfile: dockerfile([]) });
  headSha = repo.commit("add a big file", { Dockerfile: dockerfile(["RUN head -c 3000000 /dev/zero > /big"]) }, "feature");
  slug = `pr-${run.id}`;
  const project = await db.project.create({
    data: { slug, name: `pr ${run.id}`, contextKind: "GIT", gitUrl: repo.url, gitRef: "main", variants: { create: [{ name: "app", position: 0, smokeCommand: ["true"] }] } },
  });
  projectId = project.id;
  server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = await startWorker({ concurrency: 1 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
  await new Promise((resolve) => server?.close(resolve));
  run.images.push(...(await db.build.findMany({ where: { projectId }, select: { imageTag: true } })).map((b) => b.imageTag));
});

describe("pull-request report", () => {
  it("builds base and head once, prints size, delta, runs and the grown layer; exit 0 without a budget", async () => {
    const result = await cli("compare", "--project", slug, "--base", "main", "--head", "feature", "--timeout", "600");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`base main = ${baseSha.slice(0, 12)}, head feature = ${headSha.slice(0, 12)}: 2 build(s) queued, 0 reused`);
    const builds = await db.build.findMany({ where: { projectId }, orderBy: { queuedAt: "asc" } });
    expect(builds.map((b) => [b.contextRevision, b.status])).toEqual([
      [baseSha, "SUCCEEDED"],
      [headSha, "SUCCEEDED"],
    ]);
    const delta = Number(builds[1].totalSize! - builds[0].totalSize!);
    expect(delta).toBeGreaterThanOrEqual(3_000_000);
    expect(result.stdout).toContain(`head \`${headSha.slice(0, 7)}\` vs base \`${baseSha.slice(0, 7)}\``);
    expect(result.stdout).toMatch(/\| \*\*app\*\* \| [\d.]+ MB \| [\d.]+ MB \| \+3\.0 MB \(\+[\d.]+ %\) \| ✅ → ✅ \| no budget \| ✅ ok \|/);
    expect(result.stdout).toContain("**Result:** ✅ no new problems");
    expect(result.stdout).toMatch(/\| app \| added \| `RUN head -c 3000000 \/dev\/zero > \/big` \| — \| 3\.0 MB \| \+3\.0 MB \|/);
  });

  it("exits 1 on a budget breach, reusing both builds (nothing queued)", async () => {
    const head = await db.build.findFirstOrThrow({ where: { projectId, contextRevision: headSha } });
    await db.variant.updateMany({ where: { projectId }, data: { sizeBudgetBytes: head.totalSize! - 1n } });
    const result = await cli("compare", "--project", slug, "--base", baseSha, "--head", "feature", "--timeout", "120");
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain("0 build(s) queued, 2 reused");
    expect(await db.build.count({ where: { projectId } })).toBe(2);
    expect(result.stdout).toContain("| ❌ over budget | ❌ fail |");
    expect(result.stdout).toContain("**Result:** ❌ 1 new problem");
    expect(result.stdout).toMatch(/- app: [\d.]+ MB, over the size budget of [\d.]+ MB by 1 B\n/);
  });
});
