// The content endpoints against real builds, a real worker (builds and content analyses) and
// the real engine: the file browser's listing, search and paging, the treemap, findings with
// status, the diff of two builds with exact bytes, and the 404/409/400 answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getContent } from "@/app/api/builds/[id]/content/route";
import { GET as getTree } from "@/app/api/builds/[id]/content/tree/route";
import { GET as getPackages } from "@/app/api/builds/[id]/content/packages/route";
import { GET as getFindings } from "@/app/api/builds/[id]/content/findings/route";
import { GET as getDiff } from "@/app/api/builds/[id]/content/diff/[otherId]/route";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import type { FileRow, TreeNode } from "@/lib/content/tree";
import type { ContentDiff } from "@/lib/content/diff";
import { BASE_IMAGE, callRoute, createDirectoryProject, createToken, queueBuild, usePipelineRun, waitFor, waitForBuild, writeContext } from "../support/pipeline";

const run = usePipelineRun("ADMIN");
const { root, id, images } = run;
let worker: WorkerHandle | undefined;
let viewer: string;
let buildA: string;
let buildB: string;
let buildC: string;

const BLOB_BYTES = 300_000;
const HEADER_BYTES = 5_000;
const HELLO = `hello ${"x".repeat(100)}\n`;
const GONE_BYTES = 7_000;

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

const get = async <T>(handler: Handler, url: string, params: Record<string, string>, token = viewer) => {
  const response = await callRoute<never>(handler, { url, token, params: params as never });
  return { status: response.status, body: (await response.json()) as T };
};

type Listing = { content: { rows: FileRow[]; total: number; nextCursor: string | null; path: string } };

beforeAll(async () => {
  viewer = await createToken("VIEWER");
  const dir = writeContext(root, `content-${id}`, {
    "hello.txt": HELLO,
    // A: a big own blob, no headers.
    "a.Dockerfile": [
      `FROM ${BASE_IMAGE}`,
      `RUN mkdir -p /opt/lb && head -c ${BLOB_BYTES} /dev/urandom > /opt/lb/blob.bin && echo ${id} > /opt/lb/run-id`,
      `COPY hello.txt /opt/lb/hello.txt`,
      `CMD ["true"]`,
    ].join("\n"),
    // B: no blob, a header directory of its own.
    "b.Dockerfile": [
      `FROM ${BASE_IMAGE}`,
      `RUN mkdir -p /opt/lb /usr/include/lbtest-${id} && head -c ${HEADER_BYTES} /dev/zero > /usr/include/lbtest-${id}/x.h && echo ${id} > /opt/lb/run-id`,
      `COPY hello.txt /opt/lb/hello.txt`,
      `CMD ["true"]`,
    ].join("\n"),
    // C: a later RUN deletes a directory and a file an earlier RUN made, and overwrites another.
    "c.Dockerfile": [
      `FROM ${BASE_IMAGE}`,
      `RUN mkdir -p /opt/lbc/gone && head -c ${GONE_BYTES} /dev/zero > /opt/lbc/gone/big.bin && echo old > /opt/lbc/conf && echo x > /opt/lbc/single && echo ${id} > /opt/lbc/run-id`,
      `RUN rm -r /opt/lbc/gone /opt/lbc/single && echo new-value > /opt/lbc/conf`,
      `CMD ["true"]`,
    ].join("\n"),
  });
  const project = await createDirectoryProject(`content-${id}`, dir, [
    { name: "a", dockerfile: "a.Dockerfile" },
    { name: "b", dockerfile: "b.Dockerfile" },
    { name: "c", dockerfile: "c.Dockerfile" },
  ]);
  worker = await startWorker({ concurrency: 1 });
  buildA = await queueBuild(run.token, project.variants[0].id);
  buildB = await queueBuild(run.token, project.variants[1].id);
  buildC = await queueBuild(run.token, project.variants[2].id);
  for (const buildId of [buildA, buildB, buildC]) {
    const build = await waitForBuild(buildId, undefined, 240_000);
    images.push(build.imageTag);
    expect(build.status).toBe("SUCCEEDED");
    await waitFor(
      `content analysis of ${buildId}`,
      async () => {
        const analysis = await db.contentAnalysis.findFirst({ where: { buildId, image: "main" } });
        if (analysis?.status === "FAILED") throw new Error(`analysis of ${buildId} failed: ${analysis.error}`);
        return analysis?.status === "SUCCEEDED";
      },
      240_000,
      250,
    );
  }
}, 600_000);

describe("GET /api/builds/:id/content/findings", () => {
  it("answers the analysis' status, progress and totals to a viewer", async () => {
    const { status, body } = await get<{ analysis: { status: string; progress: { layersDone: number; layersTotal: number }; result: { files: number; fileBytes: number } } }>(
      getFindings,
      `/api/builds/${buildA}/content/findings`,
      { id: buildA },
    );
    expect(status).toBe(200);
    expect(body.analysis.status).toBe("SUCCEEDED");
    expect(body.analysis.progress.layersDone).toBe(body.analysis.progress.layersTotal);
    expect(body.analysis.result.fileBytes).toBeGreaterThan(BLOB_BYTES);
    expect(body.analysis).not.toHaveProperty("result.packages");
  });
});

describe("GET /api/builds/:id/content", () => {
  it("lists a directory one level deep with exact sizes, the own layer and 'added'", async () => {
    const { status, body } = await get<Listing>(getContent, `/api/builds/${buildA}/content?path=/opt/lb&depth=1`, { id: buildA });
    expect(status).toBe(200);
    expect(body.content.rows.map((r) => r.path)).toEqual(["/opt/lb/blob.bin", "/opt/lb/hello.txt", "/opt/lb/run-id"]);
    expect(body.content.rows[0]).toMatchObject({ kind: "file", size: BLOB_BYTES, isFromBase: false, change: "added" });
    expect(body.content.rows[1]).toMatchObject({ size: Buffer.byteLength(HELLO), isFromBase: false });
    expect(body.content.rows[1].layer).toBeGreaterThan(body.content.rows[0].layer);
  });

  it("searches paths by substring: B's header directory is found in B only", async () => {
    const inB = await get<Listing>(getContent, `/api/builds/${buildB}/content?q=lbtest-${id}`, { id: buildB });
    expect(inB.body.content.rows.map((r) => r.path)).toEqual([`/usr/include/lbtest-${id}`, `/usr/include/lbtest-${id}/x.h`]);
    expect(inB.body.content.rows[0]).toMatchObject({ kind: "dir", size: HEADER_BYTES });
    const inA = await get<Listing>(getContent, `/api/builds/${buildA}/content?q=lbtest-${id}`, { id: buildA });
    expect(inA.body.content).toMatchObject({ rows: [], total: 0, nextCursor: null });
  });

  it("pages the whole tree with a cursor, no row twice, the count the analysis recorded", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const query: string = `path=/&depth=64&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { status, body } = await get<Listing>(getContent, `/api/builds/${buildA}/content?${query}`, { id: buildA });
      expect(status).toBe(200);
      seen.push(...body.content.rows.map((r) => r.path));
      total = body.content.total;
      cursor = body.content.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    const analysis = await db.contentAnalysis.findFirstOrThrow({ where: { buildId: buildA } });
    const result = analysis.result as { files: number; dirs: number; symlinks: number };
    expect(total).toBeGreaterThanOrEqual(result.files + result.dirs);
  });

  it("refuses bad parameters (400), unknown paths and builds (404)", async () => {
    expect((await get(getContent, `/api/builds/${buildA}/content?limit=100000`, { id: buildA })).status).toBe(400);
    expect((await get(getContent, `/api/builds/${buildA}/content?depth=abc`, { id: buildA })).status).toBe(400);
    expect((await get(getContent, `/api/builds/${buildA}/content?q=${"x".repeat(201)}`, { id: buildA })).status).toBe(400);
    const unknownPath = await get<{ error: { code: string } }>(getContent, `/api/builds/${buildA}/content?path=/no/such/dir`, { id: buildA });
    expect(unknownPath).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    expect((await get(getContent, `/api/builds/nonexistent/content`, { id: "nonexistent" })).status).toBe(404);
    expect((await get(getFindings, `/api/builds/nonexistent/content/findings`, { id: "nonexistent" })).status).toBe(404);
  });

  it("answers 409 while an analysis runs and 404 for a build that has none", async () => {
    const analysis = await db.contentAnalysis.findFirstOrThrow({ where: { buildId: buildA } });
    await db.contentAnalysis.update({ where: { id: analysis.id }, data: { status: "RUNNING", finishedAt: null } });
    try {
      const running = await get<{ error: { code: string; message: string } }>(getContent, `/api/builds/${buildA}/content`, { id: buildA });
      expect(running.status).toBe(409);
      expect(running.body.error.message).toMatch(/is running/);
      const findings = await get<{ analysis: { status: string; result: unknown } }>(getFindings, `/api/builds/${buildA}/content/findings`, { id: buildA });
      expect(findings).toMatchObject({ status: 200, body: { analysis: { status: "RUNNING" } } });
    } finally {
      await db.contentAnalysis.update({ where: { id: analysis.id }, data: { status: analysis.status, finishedAt: analysis.finishedAt } });
    }
    const { projectId, variantId } = await db.build.findUniqueOrThrow({ where: { id: buildA } });
    const none = await db.build.create({ data: { projectId, variantId, status: "FAILED" } });
    const missing = await get<{ error: { code: string } }>(getContent, `/api/builds/${none.id}/content`, { id: none.id });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
  });
});

type DeletedListing = { content: { show: "deleted"; rows: Array<{ path: string; kind: string; bytes: number; entries: number; layer: number; byLayer: number; isFromBase: boolean }>; total: number; deletedTotal: number; deletedOmitted: number } };

describe("GET /api/builds/:id/content: added / modified / deleted", () => {
  it("marks the file a later RUN overwrote 'modified' by that layer, the untouched one 'added' by the first", async () => {
    const { status, body } = await get<Listing>(getContent, `/api/builds/${buildC}/content?path=/opt/lbc&depth=1`, { id: buildC });
    expect(status).toBe(200);
    expect(body.content.rows.map((r) => [r.path, r.change])).toEqual([
      ["/opt/lbc/conf", "modified"],
      ["/opt/lbc/run-id", "added"],
    ]);
    const [conf, runId] = body.content.rows;
    expect(conf).toMatchObject({ size: "new-value\n".length, isFromBase: false });
    expect(conf.layer).toBe(runId.layer + 1);
  });

  it("lists what a real `RUN rm` deleted, with the layer that held it and the layer that deleted it", async () => {
    const present = await get<Listing>(getContent, `/api/builds/${buildC}/content?path=/opt/lbc&depth=1`, { id: buildC });
    const runLayer = present.body.content.rows.find((r) => r.path === "/opt/lbc/run-id")!.layer;
    const { status, body } = await get<DeletedListing>(getContent, `/api/builds/${buildC}/content?show=deleted&path=/opt/lbc&depth=64`, { id: buildC });
    expect(status).toBe(200);
    expect(body.content.rows.map(({ path, kind, bytes, entries, layer, byLayer, isFromBase }) => ({ path, kind, bytes, entries, layer, byLayer, isFromBase }))).toEqual([
      { path: "/opt/lbc/gone", kind: "dir", bytes: GONE_BYTES, entries: 1, layer: runLayer, byLayer: runLayer + 1, isFromBase: false },
      { path: "/opt/lbc/gone/big.bin", kind: "file", bytes: GONE_BYTES, entries: 0, layer: runLayer, byLayer: runLayer + 1, isFromBase: false },
      { path: "/opt/lbc/single", kind: "file", bytes: 2, entries: 0, layer: runLayer, byLayer: runLayer + 1, isFromBase: false },
    ]);
    expect(body.content).toMatchObject({ show: "deleted", total: 3, deletedOmitted: 0 });
    // A deleted path can be listed under; a search finds deleted paths only in show=deleted.
    const under = await get<DeletedListing>(getContent, `/api/builds/${buildC}/content?show=deleted&path=/opt/lbc/gone`, { id: buildC });
    expect(under.body.content.rows.map((r) => r.path)).toEqual(["/opt/lbc/gone/big.bin"]);
    const search = await get<Listing>(getContent, `/api/builds/${buildC}/content?q=big.bin&path=/opt`, { id: buildC });
    expect(search.body.content.total).toBe(0);
    expect((await get(getContent, `/api/builds/${buildC}/content?show=gone`, { id: buildC })).status).toBe(400);
  });
});

describe("GET /api/builds/:id/content/tree", () => {
  it("sums a directory's bytes, all of them from own layers", async () => {
    const { status, body } = await get<{ tree: TreeNode }>(getTree, `/api/builds/${buildA}/content/tree?path=/opt/lb&depth=1`, { id: buildA });
    expect(status).toBe(200);
    const expected = BLOB_BYTES + Buffer.byteLength(HELLO) + `${id}\n`.length;
    expect(body.tree).toMatchObject({ path: "/opt/lb", bytes: expected, ownBytes: expected, baseBytes: 0, files: 3 });
    expect(body.tree.children!.map((c) => c.name)).toEqual(["blob.bin", "hello.txt", "run-id"]);
    const rootTree = await get<{ tree: TreeNode }>(getTree, `/api/builds/${buildA}/content/tree`, { id: buildA });
    expect(rootTree.body.tree.baseBytes).toBeGreaterThan(0);
    expect(rootTree.body.tree.bytes).toBe(rootTree.body.tree.baseBytes + rootTree.body.tree.ownBytes);
  });
});

describe("GET /api/builds/:id/content/packages", () => {
  it("answers the packages and unowned groups as lists", async () => {
    const { status, body } = await get<{ packages: unknown[]; unowned: unknown[] }>(getPackages, `/api/builds/${buildA}/content/packages`, { id: buildA });
    expect(status).toBe(200);
    expect(Array.isArray(body.packages)).toBe(true);
    expect(Array.isArray(body.unowned)).toBe(true);
  });
});

describe("GET /api/builds/:a/content/diff/:b", () => {
  it("shows what B adds and removes against A with exact bytes, grouped", async () => {
    const { status, body } = await get<{ diff: ContentDiff }>(getDiff, `/api/builds/${buildA}/content/diff/${buildB}`, { id: buildA, otherId: buildB });
    expect(status).toBe(200);
    const { diff } = body;
    expect(diff.directories).toContainEqual({ path: `/usr/include/lbtest-${id}`, change: "added", files: 1, bytes: HEADER_BYTES });
    const opt = diff.byDirectory.find((g) => g.key === "/opt/lb")!;
    expect(opt).toMatchObject({ removed: 1, removedBytes: BLOB_BYTES });
    expect(opt.top).toContainEqual(expect.objectContaining({ path: "/opt/lb/blob.bin", change: "removed", sizeA: BLOB_BYTES, sizeB: null, delta: -BLOB_BYTES }));
    expect(diff.byDirectory.find((g) => g.key === "/usr/include")).toMatchObject({ added: 1, addedBytes: HEADER_BYTES });
    expect(diff.totals.bytesB - diff.totals.bytesA).toBe(diff.totals.delta);
    // The same base image: nothing of it differs.
    expect(diff.totals.delta).toBe(HEADER_BYTES - BLOB_BYTES);
  });

  it("is empty between a build and itself, and 404 for an unknown other build", async () => {
    const same = await get<{ diff: ContentDiff }>(getDiff, `/api/builds/${buildA}/content/diff/${buildA}`, { id: buildA, otherId: buildA });
    expect(same.body.diff.totals).toMatchObject({ added: 0, removed: 0, resized: 0, delta: 0 });
    expect((await get(getDiff, `/api/builds/${buildA}/content/diff/nonexistent`, { id: buildA, otherId: "nonexistent" })).status).toBe(404);
  });
});
