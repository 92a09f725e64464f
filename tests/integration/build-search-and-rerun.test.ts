// The builds page's search (GET /api/builds with every filter, keyset pages, bad values refused)
// on seeded rows, and Re-run through the real worker and engine: a git build re-run builds the
// same commit after the branch moved on, with the build's frozen settings.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { GET as listBuilds, POST as postBuild } from "@/app/api/builds/route";
import { POST as postComparison } from "@/app/api/projects/[id]/comparisons/route";
import { rerunBuild } from "@/lib/builds/start-build";
import { startComparison } from "@/lib/builds/start-comparison";
import { openContext } from "@/lib/builds/context/open-context";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { BASE_IMAGE, callRoute, createToken, usePipelineRun, waitForBuild } from "../support/pipeline";

const run = usePipelineRun("VIEWER");
const MB = 1_000_000;

type Listed = { builds: { id: string; variantName: string; status: string }[]; nextCursor: string | null };

const list = async (query: string) => {
  const response = await callRoute(listBuilds, { url: `/api/builds?${query}`, token: run.token });
  return { status: response.status, body: (await response.json()) as Listed & { error?: { code: string; message: string } } };
};

const ids = { project: "", other: "", small: "", big: "", builds: [] as string[] };

describe("searching builds", () => {
  beforeAll(async () => {
    const project = await db.project.create({
      data: {
        slug: `search-${run.id}`,
        name: `Search ${run.id}`,
        contextKind: "DIRECTORY",
        contextPath: run.root,
        variants: { create: [{ name: `small-${run.id}`, sizeBudgetBytes: BigInt(100 * MB) }, { name: `big-${run.id}`, builder: "CLASSIC", position: 1 }] },
      },
      include: { variants: { orderBy: { position: "asc" } } },
    });
    ids.project = project.id;
    [ids.small, ids.big] = project.variants.map((v) => v.id);
    const other = await db.project.create({ data: { slug: `other-${run.id}`, name: `Other ${run.id}`, contextPath: run.root, variants: { create: [{ name: `o-${run.id}` }] } }, include: { variants: true } });
    ids.other = other.id;
    const start = Date.parse("2026-11-10T12:00:00Z");
    // 12 builds a day apart, newest last: small ones alternate runs / does not run, every 4th is over budget.
    for (let i = 0; i < 12; i++) {
      const small = i % 2 === 0;
      const build = await db.build.create({
        data: {
          projectId: ids.project,
          variantId: small ? ids.small : ids.big,
          status: i === 11 ? "FAILED" : "SUCCEEDED",
          builder: small ? "BUILDKIT" : "CLASSIC",
          queuedAt: new Date(start + i * 86_400_000),
          totalSize: i === 11 ? null : BigInt((small && i % 4 === 0 ? 150 : 50) * MB),
          contextRevision: i < 6 ? `aaaa${i}${"0".repeat(35)}` : `bbbb${i % 10}${"1".repeat(35)}`,
          imageTag: `layerboard/search-${run.id}:${i}`,
          error: i === 11 ? "step 4: pip install failed: 50% done_then_error" : null,
          errorCode: i === 11 ? "BUILD_FAILED" : null,
          smoke: i === 11 ? undefined : { create: { command: ["app"], runs: !(small && i % 4 === 2), durationMs: 10, exitCode: small && i % 4 === 2 ? 127 : 0 } },
        },
      });
      ids.builds.push(build.id);
    }
    await db.build.create({ data: { projectId: other.id, variantId: other.variants[0].id, status: "SUCCEEDED", queuedAt: new Date(start), totalSize: BigInt(MB) } });
  });

  it("keeps the API's old answer without filters: builds newest first, 50 at most", async () => {
    const { status, body } = await list(`projectId=${ids.project}`);
    expect(status).toBe(200);
    expect(body.builds.map((b) => b.id)).toEqual([...ids.builds].reverse());
    expect(body.nextCursor).toBeNull();
  });

  it("filters by status, variant, builder, does-not-run, over budget, commit prefix and dates", async () => {
    const idsOf = async (query: string) => (await list(`projectId=${ids.project}&${query}`)).body.builds.map((b) => ids.builds.indexOf(b.id));
    expect(await idsOf("status=FAILED")).toEqual([11]);
    expect(await idsOf(`variantId=${ids.small}`)).toEqual([10, 8, 6, 4, 2, 0]);
    expect(await idsOf("builder=CLASSIC")).toEqual([11, 9, 7, 5, 3, 1]);
    expect(await idsOf("runs=no")).toEqual([10, 6, 2]);
    expect(await idsOf("overBudget=yes")).toEqual([8, 4, 0]);
    expect(await idsOf("commit=AAAA")).toEqual([5, 4, 3, 2, 1, 0]);
    expect(await idsOf("commit=bbbb7")).toEqual([7]);
    expect(await idsOf("from=2026-11-12&to=2026-11-13")).toEqual([3, 2]);
    expect(await idsOf("runs=no&overBudget=no&builder=BUILDKIT")).toEqual([10, 6, 2]);
  });

  it("searches variant and project names, image tags and error text, % and _ taken literally", async () => {
    expect((await list(`q=${encodeURIComponent("50% done_then")}`)).body.builds.map((b) => b.id)).toEqual([ids.builds[11]]);
    expect((await list(`q=${encodeURIComponent("50%_done")}`)).body.builds).toEqual([]);
    expect((await list(`q=big-${run.id}`)).body.builds).toHaveLength(6);
    expect((await list(`q=Other%20${run.id}`)).body.builds).toHaveLength(1);
    expect((await list(`q=search-${run.id}:7`)).body.builds.map((b) => b.id)).toEqual([ids.builds[7]]);
  });

  it("pages with a keyset cursor until the last page, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { body }: { body: Listed } = await list(`projectId=${ids.project}&limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...body.builds.map((b) => b.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids.builds].reverse());
  });

  it("refuses bad values with a clear message, not a crash", async () => {
    for (const [query, words] of [
      ["status=DONE", "status is one of"],
      ["limit=100000", "limit is at most 500"],
      ["from=yesterday", "dates are YYYY-MM-DD"],
      ["from=2026-11-20&to=2026-11-01", "the date range ends before it starts"],
      ["commit=xyz", "commit is 4 to 64 hex digits"],
      ["cursor=nope", "the page cursor is not valid"],
    ] as const) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(body.error?.code).toBe("VALIDATION");
      expect(JSON.stringify(body.error), query).toContain(words);
    }
  });
});

describe("re-running a git build", () => {
  let worker: WorkerHandle;
  let repo: string;
  const commits: string[] = [];

  beforeAll(async () => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "lb-h13-rerun-"));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: repo, encoding: "utf8" }).trim();
    git("init", "--quiet", "--initial-branch=main");
    fs.writeFileSync(path.join(repo, "Dockerfile"), [`FROM ${BASE_IMAGE}`, "COPY version.txt /version.txt", 'CMD ["cat", "/version.txt"]'].join("\n"));
    for (const version of ["one", "two"]) {
      fs.writeFileSync(path.join(repo, "version.txt"), `version ${version} ${run.id}\n`);
      git("add", "-A");
      git("commit", "--quiet", "-m", `version ${version}`);
      commits.push(git("rev-parse", "HEAD"));
    }
    worker = await startWorker({ concurrency: 1 });
  });

  afterAll(async () => {
    await worker?.stop({ graceMs: 5_000 });
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it("opens a git context at a full commit SHA that is not the branch head", async () => {
    const context = await openContext({ kind: "GIT", url: `file://${repo}`, ref: commits[0] });
    try {
      expect(context.revision).toBe(commits[0]);
      expect(fs.readFileSync(path.join(context.dir, "version.txt"), "utf8")).toBe(`version one ${run.id}\n`);
    } finally {
      await context.cleanup();
    }
  });

  it("builds the same commit with the frozen settings after the branch and the variant changed", async () => {
    const project = await db.project.create({
      data: {
        slug: `rerun-${run.id}`,
        name: `Re-run ${run.id}`,
        contextKind: "GIT",
        gitUrl: `file://${repo}`,
        gitRef: "main",
        variants: { create: [{ name: "plain", buildArgs: { NOTE: "first" } }] },
      },
      include: { variants: true },
    });
    const comparison = await startComparison(project.id, { ref: commits[0] });
    const first = await waitForBuild(comparison.builds[0].id, undefined, 180_000);
    run.images.push(first.imageTag);
    expect(first.status, first.error ?? "").toBe("SUCCEEDED");
    expect(first.contextRevision).toBe(commits[0]);

    // The variant changes after the build: a re-run keeps what the build was built with.
    await db.variant.update({ where: { id: project.variants[0].id }, data: { buildArgs: { NOTE: "changed" }, noCache: true } });
    const queued = await rerunBuild(first.id);
    expect(queued.source).toBe("same-commit");
    const again = await waitForBuild(queued.id, undefined, 180_000);
    run.images.push(again.imageTag);
    expect(again.status, again.error ?? "").toBe("SUCCEEDED");
    expect(again.id).not.toBe(first.id);
    expect(again.contextRevision).toBe(commits[0]);
    expect(again.settings).toEqual(first.settings);
    expect((again.settings as { buildArgs: unknown }).buildArgs).toEqual({ NOTE: "first" });
    // The image holds the first commit's file, though main is at the second.
    const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: again.id } });
    expect(smoke.outputHead).toContain(`version one ${run.id}`);
  });

  it("builds a git ref a caller names (the CLI's --ref) and refuses a ref for a project without git", async () => {
    const token = await createToken("BUILDER");
    const project = await db.project.create({
      data: { slug: `ref-${run.id}`, name: `Ref ${run.id}`, contextKind: "GIT", gitUrl: `file://${repo}`, gitRef: "main", variants: { create: [{ name: "plain" }] } },
      include: { variants: true },
    });
    const post = (body: object) => callRoute(postBuild, { method: "POST", url: "/api/builds", token, body });
    // The first commit's short SHA, though main is at the second one: pinned to the full SHA at once.
    const started = await post({ variantId: project.variants[0].id, ref: commits[0].slice(0, 12) });
    expect(started.status).toBe(201);
    const { build } = (await started.json()) as { build: { id: string } };
    expect((await db.build.findUniqueOrThrow({ where: { id: build.id } })).contextRevision).toBe(commits[0]);
    const built = await waitForBuild(build.id, undefined, 180_000);
    run.images.push(built.imageTag);
    expect(built.status, built.error ?? "").toBe("SUCCEEDED");
    const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: build.id } });
    expect(smoke.outputHead).toContain(`version one ${run.id}`);

    // Compare-all at a ref: every variant at that commit.
    const compared = await callRoute(postComparison, { method: "POST", url: `/api/projects/${project.id}/comparisons`, token, body: { ref: "main" }, params: { id: project.id } });
    expect(compared.status).toBe(201);
    const { comparison } = (await compared.json()) as { comparison: { id: string; builds: { id: string }[] } };
    expect((await db.comparison.findUniqueOrThrow({ where: { id: comparison.id } })).contextRevision).toBe(commits[1]);
    for (const queued of comparison.builds) run.images.push((await waitForBuild(queued.id, undefined, 180_000)).imageTag);
    // The body stays optional (`curl -X POST` sends none): the project's own ref.
    const bare = await callRoute(postComparison, { method: "POST", url: `/api/projects/${project.id}/comparisons`, token, rawBody: "", params: { id: project.id } });
    expect(bare.status).toBe(201);
    const { comparison: plain } = (await bare.json()) as { comparison: { id: string; builds: { id: string }[] } };
    expect((await db.comparison.findUniqueOrThrow({ where: { id: plain.id } })).contextRevision).toBe(commits[1]);
    for (const queued of plain.builds) run.images.push((await waitForBuild(queued.id, undefined, 180_000)).imageTag);
    const badRef = await callRoute(postComparison, { method: "POST", url: `/api/projects/${project.id}/comparisons`, token, body: { ref: 5 }, params: { id: project.id } });
    expect(badRef.status).toBe(400);

    const before = await db.build.count();
    const directory = await db.project.create({
      data: { slug: `ref-dir-${run.id}`, name: `Ref dir ${run.id}`, contextKind: "DIRECTORY", contextPath: run.root, variants: { create: [{ name: "plain" }] } },
      include: { variants: true },
    });
    for (const [body, words] of [
      [{ variantId: directory.variants[0].id, ref: "main" }, "only a git project builds a git ref"],
      [{ variantId: project.variants[0].id, ref: "main", archiveId: "abc" }, "ref and archiveId do not go together"],
      [{ variantId: project.variants[0].id, ref: "no-such-branch" }, "no-such-branch"],
    ] as const) {
      const refused = await post(body);
      expect(refused.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(JSON.stringify(await refused.json())).toContain(words);
    }
    expect(await db.build.count()).toBe(before);
  });

  it("re-runs an archive build from the same archive after the project got a new one", async () => {
    const archive = await db.contextArchive.create({ data: { filename: "ctx.tar", size: 1, sha256: randomBytes(32).toString("hex"), data: Buffer.from("x") } });
    const project = await db.project.create({
      data: { slug: `rerun-archive-${run.id}`, name: `Re-run archive ${run.id}`, contextKind: "ARCHIVE", archiveId: archive.id, variants: { create: [{ name: "plain" }] } },
      include: { variants: true },
    });
    const { startBuild } = await import("@/lib/builds/start-build");
    const first = await startBuild(project.variants[0].id);
    const row = await db.build.findUniqueOrThrow({ where: { id: first.id } });
    expect((row.settings as { contextArchiveId?: string }).contextArchiveId).toBe(archive.id);
    // The bytes are not a tar: the worker refuses the context, which is enough to see which archive it opened.
    expect(await waitForBuild(first.id, undefined, 60_000)).toMatchObject({ status: "FAILED", errorCode: "CONTEXT_REFUSED", contextRevision: null });
    const newer = await db.contextArchive.create({ data: { filename: "ctx2.tar", size: 1, sha256: randomBytes(32).toString("hex"), data: Buffer.from("y") } });
    await db.project.update({ where: { id: project.id }, data: { archiveId: newer.id } });
    const queued = await rerunBuild(first.id);
    expect(queued.source).toBe("same-archive");
    const rerun = await db.build.findUniqueOrThrow({ where: { id: queued.id } });
    expect((rerun.settings as { contextArchiveId?: string }).contextArchiveId).toBe(archive.id);
    const finished = await waitForBuild(queued.id, undefined, 60_000);
    // The worker opened the pinned archive ctx.tar, not the project's newer ctx2.tar.
    expect(finished).toMatchObject({ status: "FAILED", errorCode: "CONTEXT_REFUSED" });
    expect(finished.error).toContain("ctx.tar refused");
  });
});
