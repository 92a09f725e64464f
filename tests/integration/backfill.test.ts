// Issue 15 acceptance, backfill and regressions: a local repository with a scripted history of
// ten commits (no network), two tiny variants. The backfill builds every commit for both,
// oldest first, below a person's builds; the commit that adds a large file and the one that
// breaks the start script are the regressions, exactly those; the fix resolves the second;
// re-running queues nothing; a commit without a Dockerfile fails only its items; a branch that
// does not exist and a repository that cannot be cloned fail the backfill with a clear message.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { POST as postBackfill, GET as listBackfills } from "@/app/api/projects/[id]/backfills/route";
import { GET as getBackfillRoute, PATCH as patchBackfill } from "@/app/api/backfills/[id]/route";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { openContext } from "@/lib/builds/context/open-context";
import { findCommitHistory, nameRegressions } from "@/lib/data/commit-history";
import { createGitProject, LARGE_FILE_BYTES, SCRIPTED_SUBJECTS as S, writeScriptedRepo } from "@/lib/harness/scripted-repo";
import { BASE_IMAGE, callRoute, usePipelineRun, waitFor } from "../support/pipeline";

const run = usePipelineRun("BUILDER");
const { root, id, images } = run;
let worker: WorkerHandle | undefined;

afterAll(async () => {
  await worker?.stop({ graceMs: 10_000 });
});

const repo = writeScriptedRepo(path.join(root, `repo-${id}`), BASE_IMAGE);
const VARIANTS = [
  { name: "plain", buildArgs: { FLAVOR: "plain" }, regressionThresholdPct: 2 },
  { name: "slim", buildArgs: { FLAVOR: "slim" }, regressionThresholdPct: 2 },
];

type BackfillBody = { backfill: { id: string; status: string; error: string | null; progress: Record<string, number>; items: Array<{ sha: string; variantName: string; status: string; buildId: string | null; skippedFor: string | null; error: string | null }> } };

const post = async (projectId: string, body: unknown) => {
  const response = await callRoute(postBackfill, { method: "POST", url: `/api/projects/${projectId}/backfills`, token: run.token, body, params: { id: projectId } });
  return { status: response.status, body: (await response.json()) as BackfillBody & { error?: { code: string; message: string } } };
};
const get = async (backfillId: string) => {
  const response = await callRoute(getBackfillRoute, { method: "GET", url: `/api/backfills/${backfillId}`, token: run.token, params: { id: backfillId } });
  return ((await response.json()) as BackfillBody).backfill;
};
const patch = async (backfillId: string, action: string) => {
  const response = await callRoute(patchBackfill, { method: "PATCH", url: `/api/backfills/${backfillId}`, token: run.token, body: { action }, params: { id: backfillId } });
  return { status: response.status, body: (await response.json()) as BackfillBody & { error?: { code: string } } };
};
const waitForBackfill = (backfillId: string, statuses: string[], timeoutMs = 600_000) =>
  waitFor(`backfill ${backfillId} to be ${statuses.join("/")}`, async () => {
    const backfill = await get(backfillId);
    return statuses.includes(backfill.status) ? backfill : null;
  }, timeoutMs, 250);

describe("a commit SHA as the git ref", () => {
  it("checks out that commit and reads its subject, author, date and first parent from the clone", async () => {
    const sha = repo.bySubject(S.large);
    const context = await openContext({ kind: "GIT", url: repo.url, ref: sha }, { readCommit: true });
    try {
      expect(context.revision).toBe(sha);
      expect(context.commit).toEqual({
        sha,
        parentSha: repo.bySubject(S.readme),
        subject: S.large,
        authorName: "Test Author",
        authorEmail: "author@example.test",
        authoredAt: "2026-11-01T09:02:00.000Z",
      });
    } finally {
      await context.cleanup();
    }
  });
});

describe("bad input", () => {
  it("refuses a count over the cap and a non-git project before recording anything", async () => {
    const project = await createGitProject(db, `lb-h15-backfill-cap-${id}`, repo.url, VARIANTS);
    const over = await post(project.id, { count: 101, branch: "main" });
    expect(over.status).toBe(400);
    expect(over.body.error?.message).toContain("at most 100 commits");
    const dirProject = await db.project.create({ data: { slug: `lb-h15-backfill-dir-${id}`, name: "dir", contextKind: "DIRECTORY", contextPath: root, variants: { create: [{ name: "v" }] } } });
    const notGit = await post(dirProject.id, { count: 3 });
    expect(notGit.status).toBe(400);
    expect(notGit.body.error?.message).toContain("only a git project can be backfilled");
    expect(await db.backfill.count({ where: { projectId: { in: [project.id, dirProject.id] } } })).toBe(0);
  });

  it("fails a backfill of a branch that does not exist, or of a repository that cannot be cloned, with a clear message", async () => {
    worker ??= await startWorker({ concurrency: 2 });
    const project = await createGitProject(db, `lb-h15-backfill-bad-${id}`, repo.url, VARIANTS);
    const missingBranch = await post(project.id, { count: 5, branch: "no-such-branch" });
    expect(missingBranch.status).toBe(201);
    const unreachable = await createGitProject(db, `lb-h15-backfill-gone-${id}`, `file://${root}/no-repo-here-${id}`, VARIANTS);
    const gone = await post(unreachable.id, { count: 5 });
    expect(gone.status).toBe(201);

    const failedBranch = await waitForBackfill(missingBranch.body.backfill.id, ["FAILED"], 60_000);
    expect(failedBranch.error).toBe(`Branch "no-such-branch" not found in ${repo.url}`);
    const failedClone = await waitForBackfill(gone.body.backfill.id, ["FAILED"], 60_000);
    expect(failedClone.error).toMatch(new RegExp(`^Could not clone file://${root}/no-repo-here-${id}: .*(does not exist|not appear to be a git repository)`));
    expect(failedClone.items).toEqual([]);
    // A finished backfill cannot be resumed or cancelled.
    expect((await patch(gone.body.backfill.id, "cancel")).status).toBe(409);
    expect(await db.build.count({ where: { projectId: { in: [project.id, unreachable.id] } } })).toBe(0);
  });
});

describe("a backfill of the last ten commits", () => {
  let project: Awaited<ReturnType<typeof createGitProject>>;
  let firstId = "";

  it("builds every commit for both variants, oldest first, below a person's builds; a commit without a Dockerfile fails only its items", async () => {
    project = await createGitProject(db, `lb-h15-backfill-${id}`, repo.url, VARIANTS);
    worker ??= await startWorker({ concurrency: 2 });
    const created = await post(project.id, { count: 10, branch: "main" });
    expect(created.status).toBe(201);
    firstId = created.body.backfill.id;
    expect(created.body.backfill.status).toBe("PLANNING");

    // Pause and resume while it runs: nothing is lost.
    expect((await patch(firstId, "pause")).body.backfill.status).toBe("PAUSED");
    expect((await patch(firstId, "pause")).status).toBe(409);
    expect(["PLANNING", "RUNNING"]).toContain((await patch(firstId, "resume")).body.backfill.status);

    const done = await waitForBackfill(firstId, ["DONE", "FAILED", "CANCELLED"]);
    expect(done.status).toBe("DONE");
    expect(done.items).toHaveLength(20);
    const builds = await db.build.findMany({ where: { projectId: project.id }, include: { smoke: true, variant: true }, orderBy: { queuedAt: "asc" } });
    images.push(...builds.map((b) => b.imageTag));
    expect(builds).toHaveLength(20);

    const missing = repo.bySubject(S.removeDockerfile);
    expect(done.progress).toMatchObject({ total: 20, done: 20, built: 18, failed: 2, skipped: 0, queued: 0 });
    for (const item of done.items) {
      if (item.sha === missing) {
        expect(item.status).toBe("FAILED");
        expect(item.error).toBe("Dockerfile not found: Dockerfile");
      } else expect(item.status).toBe("DONE");
    }
    // Every commit built at its own SHA, oldest first (per variant), with the layers it should have.
    const order = repo.commits.map((c) => c.sha);
    for (const variant of project.variants) {
      const mine = builds.filter((b) => b.variantId === variant.id);
      expect(mine.map((b) => b.contextRevision)).toEqual(order);
      expect(mine.every((b) => b.comparisonId)).toBe(true);
    }
    const large = builds.find((b) => b.contextRevision === repo.bySubject(S.large))!;
    const readme = builds.find((b) => b.contextRevision === repo.bySubject(S.readme) && b.variantId === large.variantId)!;
    expect(Number(large.totalSize) - Number(readme.totalSize)).toBeGreaterThanOrEqual(LARGE_FILE_BYTES);
    expect(builds.find((b) => b.contextRevision === repo.bySubject(S.breakStart))!.smoke?.runs).toBe(false);
    // Queued below a person's builds.
    const [job] = await db.$queryRaw<{ priority: number }[]>`SELECT priority FROM pgboss.job WHERE name = 'layerboard-builds' AND data->>'buildId' = ${large.id}`;
    expect(job.priority).toBeLessThan(0);

    // Subject, author, date and first parent stored from the clone.
    const commits = await db.commit.findMany({ where: { projectId: project.id } });
    expect(commits).toHaveLength(10);
    const stored = commits.find((c) => c.sha === repo.bySubject(S.fixStart))!;
    expect(stored).toMatchObject({ subject: S.fixStart, authorName: "Test Author", parentSha: repo.bySubject(S.docs) });
  });

  it("names the large-file commit and the broken-start commit as the regressions, exactly those, and the fix resolves the second", async () => {
    const variants = project.variants.map((v) => ({ id: v.id, name: v.name, regressionThresholdPct: v.regressionThresholdPct }));
    const history = await findCommitHistory(project.id);
    expect(history.commits.map((c) => c.subject)).toEqual(repo.commits.map((c) => c.subject));
    const regressions = (await nameRegressions(history, variants)).reverse();
    expect(regressions.map((r) => [r.kind, r.variantName, r.subject])).toEqual([
      ["size", "plain", S.large],
      ["size", "slim", S.large],
      ["stopped-running", "plain", S.breakStart],
      ["stopped-running", "slim", S.breakStart],
    ]);
    const [size, , stopped] = regressions;
    expect(size.resolvedBy).toBeNull();
    expect(size.baseSha).toBe(repo.bySubject(S.readme));
    expect(size.topLayer?.instruction).toContain("COPY app/ /srv/app/");
    expect(size.topLayer!.deltaBytes).toBeGreaterThanOrEqual(LARGE_FILE_BYTES);
    expect(size.text).toMatch(new RegExp(`^\\+5\\.2 MB at ${repo.bySubject(S.large).slice(0, 7)}: ${S.large} — layer \`COPY app/ /srv/app/.*\` \\+5\\.2 MB$`));
    expect(size.layerDiffHref).toBe(`/compare?builds=${size.baseBuildId},${size.buildId}&baseline=${size.baseBuildId}&diff=${size.baseBuildId},${size.buildId}`);
    expect(stopped.resolvedBy?.sha).toBe(repo.bySubject(S.fixStart));
    expect(stopped.baseSha).toBe(repo.bySubject(S.reword));
  });

  it("queues nothing new when the backfill runs again", async () => {
    const before = await db.build.count({ where: { projectId: project.id } });
    const again = await post(project.id, { count: 10, branch: "main" });
    expect(again.status).toBe(201);
    const done = await waitForBackfill(again.body.backfill.id, ["DONE", "FAILED"], 120_000);
    expect(done.status).toBe("DONE");
    expect(done.progress).toMatchObject({ total: 20, skipped: 20, built: 0, failed: 0 });
    expect(done.items.every((item) => item.skippedFor && !item.buildId)).toBe(true);
    expect(await db.build.count({ where: { projectId: project.id } })).toBe(before);

    const list = await callRoute(listBackfills, { method: "GET", url: `/api/projects/${project.id}/backfills`, token: run.token, params: { id: project.id } });
    const { backfills } = (await list.json()) as { backfills: Array<{ id: string }> };
    expect(backfills.map((b) => b.id)).toEqual([again.body.backfill.id, firstId]);
  });
});
