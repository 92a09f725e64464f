// Incoming push webhooks (issue 15 item 2) against a local bare repository (no network): valid
// GitHub, GitLab, Gitea and generic deliveries each queue exactly one comparison of every variant
// at the pushed commit; a replayed delivery id queues nothing; a wrong or missing signature, an
// unknown project and a push to another branch get their status and queue (or record) nothing.
process.env.LAYERBOARD_SECRET_KEY ??= "push-webhooks-test-key-0123456789abcdef";
import { createHmac, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { POST as postPush } from "@/app/api/projects/[id]/push/route";
import { configurePushPoll, rotatePushHook } from "@/lib/push/manage-push-hook";
import { pollDuePushes } from "@/lib/builds/push-poller";
import { BASE_IMAGE, callRoute, usePipelineRun } from "../support/pipeline";
import { createTestRepo, type TestRepo } from "../support/git-repo";

const run = usePipelineRun();
let repo: TestRepo;
let projectId: string;
let secret: string;
let first: string;
let second: string;

const hmac = (key: string, body: string) => createHmac("sha256", key).update(body).digest("hex");

const push = (headers: Record<string, string>, body: string, id = projectId) =>
  callRoute(postPush, { method: "POST", url: `/api/projects/${id}/push`, params: { id }, rawBody: body, headers });

const githubBody = (sha: string, ref = "refs/heads/main") => JSON.stringify({ ref, before: "0".repeat(40), after: sha, repository: { default_branch: "main" } });
const github = (body: string, delivery = randomUUID(), key = secret) => ({
  "x-github-event": "push",
  "x-github-delivery": delivery,
  "x-hub-signature-256": `sha256=${hmac(key, body)}`,
});

const counts = async () => ({
  comparisons: await db.comparison.count({ where: { projectId } }),
  builds: await db.build.count({ where: { projectId } }),
  deliveries: await db.pushDelivery.count({ where: { projectId } }),
});

const expectOneComparisonAt = async (response: Response, sha: string) => {
  const text = await response.text();
  expect(response.status, text).toBe(202);
  const { push: receipt } = JSON.parse(text) as { push: { outcome: string; comparisonId: string; commit: string } };
  expect(receipt).toMatchObject({ outcome: "queued", commit: sha });
  const builds = await db.build.findMany({ where: { comparisonId: receipt.comparisonId } });
  expect(builds.map((b) => b.contextRevision)).toEqual([sha, sha]);
  expect((await db.comparison.findUniqueOrThrow({ where: { id: receipt.comparisonId } })).contextRevision).toBe(sha);
  return receipt.comparisonId;
};

beforeAll(async () => {
  repo = createTestRepo(run.root, `push-${run.id}`);
  first = repo.commit("first", { Dockerfile: `FROM ${BASE_IMAGE}\nCMD ["true"]\n` });
  second = repo.commit("second", { "app.txt": "two\n" });
  const project = await db.project.create({
    data: {
      slug: `push-${run.id}`,
      name: `push ${run.id}`,
      contextKind: "GIT",
      gitUrl: repo.url,
      gitRef: "main",
      variants: { create: [{ name: "one", position: 0 }, { name: "two", position: 1 }] },
    },
  });
  projectId = project.id;
  ({ secret } = await rotatePushHook(projectId));
});

describe("push webhooks", () => {
  it("a signed GitHub push queues one comparison at the pushed commit (not the branch head); its replay queues nothing", async () => {
    const body = githubBody(first);
    const delivery = randomUUID();
    const before = await counts();
    await expectOneComparisonAt(await push(github(body, delivery), body), first);
    const after = await counts();
    expect(after).toEqual({ comparisons: before.comparisons + 1, builds: before.builds + 2, deliveries: before.deliveries + 1 });

    const replay = await push(github(body, delivery), body);
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { push: { outcome: string } }).push.outcome).toBe("already handled");
    expect(await counts()).toEqual(after);
    const row = await db.pushDelivery.findUniqueOrThrow({ where: { projectId_deliveryId: { projectId, deliveryId: delivery } } });
    expect(row).toMatchObject({ source: "github", outcome: "queued", commitSha: first, ref: "refs/heads/main" });
  });

  it("a GitLab push (X-Gitlab-Token) queues one comparison; its replay by X-Gitlab-Event-UUID queues nothing", async () => {
    const body = JSON.stringify({ object_kind: "push", ref: "refs/heads/main", after: second, project: { default_branch: "main" } });
    const headers = { "x-gitlab-event": "Push Hook", "x-gitlab-token": secret, "x-gitlab-event-uuid": randomUUID() };
    await expectOneComparisonAt(await push(headers, body), second);
    const after = await counts();
    expect((await push(headers, body)).status).toBe(200);
    expect(await counts()).toEqual(after);
  });

  it("a Gitea push (X-Gitea-Signature, bare hex) queues one comparison", async () => {
    const body = JSON.stringify({ ref: "refs/heads/main", after: second, repository: { default_branch: "main" } });
    // Gitea sends the GitHub headers too; its own signature is the one checked.
    const headers = { "x-gitea-event": "push", "x-github-event": "push", "x-gitea-delivery": randomUUID(), "x-gitea-signature": hmac(secret, body) };
    await expectOneComparisonAt(await push(headers, body), second);
  });

  it("the generic body ({ref, after, deliveryId} + X-Layerboard-Signature) queues one comparison, by slug too", async () => {
    const body = JSON.stringify({ ref: "main", after: first, deliveryId: `ci-${run.id}` });
    await expectOneComparisonAt(await push({ "x-layerboard-signature": `sha256=${hmac(secret, body)}` }, body, `push-${run.id}`), first);
  });

  it("a wrong signature, a missing one and an old secret after rotation answer 401 and record nothing", async () => {
    const body = githubBody(second);
    const before = await counts();
    const wrong = await push(github(body, randomUUID(), "not-the-secret"), body);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    const { "x-hub-signature-256": _dropped, ...unsigned } = github(body);
    expect((await push(unsigned, body)).status).toBe(401);
    // A body changed after signing.
    expect((await push(github(body), githubBody(first))).status).toBe(401);
    expect((await push({ "x-gitlab-event": "Push Hook", "x-gitlab-token": "guess", "x-gitlab-event-uuid": randomUUID() }, body)).status).toBe(401);
    const old = secret;
    ({ secret } = await rotatePushHook(projectId));
    expect((await push(github(body, randomUUID(), old), body)).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("an unknown project answers 404; a push to another branch or a ping is ignored (200) and queues nothing", async () => {
    const body = githubBody(second);
    expect((await push(github(body), body, `no-such-project-${run.id}`)).status).toBe(404);
    const other = repo.commit("on a feature branch", { "feature.txt": "x\n" }, "feature");
    const before = await counts();
    const featureBody = githubBody(other, "refs/heads/feature");
    const ignored = await push(github(featureBody), featureBody);
    expect(ignored.status).toBe(200);
    expect(((await ignored.json()) as { push: { outcome: string; message: string } }).push).toMatchObject({ outcome: "ignored", message: "push to refs/heads/feature, not to branch main" });
    const pingBody = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const ping = await push({ ...github(pingBody), "x-github-event": "ping" }, pingBody);
    expect(ping.status).toBe(200);
    const after = await counts();
    expect({ comparisons: after.comparisons, builds: after.builds }).toEqual({ comparisons: before.comparisons, builds: before.builds });
    expect(after.deliveries).toBe(before.deliveries + 2);
  });
});

describe("branch polling", () => {
  it("learns the head on the first look, queues one comparison when the branch moves, none when it stays", async () => {
    const polled = createTestRepo(run.root, `poll-${run.id}`);
    polled.commit("first", { Dockerfile: `FROM ${BASE_IMAGE}\nCMD ["true"]\n` });
    const project = await db.project.create({
      data: { slug: `poll-${run.id}`, name: `poll ${run.id}`, contextKind: "GIT", gitUrl: polled.url, gitRef: "main", variants: { create: [{ name: "only", position: 0 }] } },
    });
    const poll = await configurePushPoll(project.id, { branch: "main", intervalSeconds: 60, enabled: true });
    expect(poll.lastSeenSha).toBeNull();
    const makeDue = () => db.pushPoll.update({ where: { projectId: project.id }, data: { nextCheckAt: new Date(Date.now() - 1000) } });
    const mine = async () => (await pollDuePushes()).filter((o) => o.projectId === project.id);

    expect(await mine()).toEqual([{ projectId: project.id, result: "first look", sha: polled.head() }]);
    expect(await db.comparison.count({ where: { projectId: project.id } })).toBe(0);
    // Not due again before its interval.
    expect(await mine()).toEqual([]);

    const moved = polled.commit("second", { "app.txt": "moved\n" });
    await makeDue();
    const [outcome] = await mine();
    expect(outcome).toMatchObject({ result: "queued", sha: moved });
    const comparisons = await db.comparison.findMany({ where: { projectId: project.id }, include: { builds: true } });
    expect(comparisons.map((c) => [c.id, c.contextRevision, c.builds.map((b) => b.contextRevision)])).toEqual([[outcome.comparisonId, moved, [moved]]]);
    expect((await db.pushPoll.findUniqueOrThrow({ where: { projectId: project.id } })).lastSeenSha).toBe(moved);

    await makeDue();
    expect(await mine()).toEqual([{ projectId: project.id, result: "unchanged", sha: moved }]);
    expect(await db.comparison.count({ where: { projectId: project.id } })).toBe(1);
    expect(await db.pushDelivery.findMany({ where: { projectId: project.id }, select: { source: true, deliveryId: true, outcome: true } })).toEqual([
      { source: "poll", deliveryId: `poll-${moved}`, outcome: "queued" },
    ]);
  });
});
