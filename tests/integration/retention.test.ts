// Retention on the real engine and a real Postgres: with K=2 a third build of a variant removes
// the first build's image, an image id a kept build shares stays, share-linked and pinned builds
// keep theirs, the dry run lists exactly what a run then removes, old log lines go while the
// build keeps its summary, unused old archives go, and no Build row is ever lost.
// Scheduled once a year (never during the run): the test checks the schedule is registered.
process.env.LAYERBOARD_RETENTION_CRON = "0 0 1 1 *";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { runRetention } from "@/lib/builds/retention/run-retention";
import { createShareLink } from "@/lib/data/share-links";
import { GET as getRetention, POST as postRetention } from "@/app/api/retention/route";
import { RETENTION_QUEUE, getQueue } from "@/lib/builds/queue";
import { POST as pinBuild } from "@/app/api/builds/[id]/pin/route";
import { GET as getBuildRoute } from "@/app/api/builds/[id]/route";
import { BASE_IMAGE, callRoute, createDirectoryProject, docker, imageExists, queueBuild, usePipelineRun, waitFor, waitForBuild, writeContext } from "../support/pipeline";
import type { RetentionReport } from "@/lib/builds/retention/run-retention";

const run = usePipelineRun("ADMIN");
let worker: WorkerHandle;
let variantId: string;
let projectId: string;
const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  worker = await startWorker({ concurrency: 1 });
  const dir = writeContext(run.root, `retention-${run.id}`, {
    Dockerfile: [`FROM ${BASE_IMAGE}`, `RUN echo retention-${run.id} > /marker`, `CMD ["true"]`].join("\n"),
  });
  const project = await createDirectoryProject(`retention-${run.id}`, dir, [{ name: "main" }]);
  projectId = project.id;
  variantId = project.variants[0].id;
  await db.project.update({ where: { id: projectId }, data: { retainBuilds: 2, retainLogDays: 7 } });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

const buildOnce = async () => {
  const build = await waitForBuild(await queueBuild(run.token, variantId), undefined, 180_000);
  run.images.push(build.imageTag);
  expect(build.status, `${build.error}`).toBe("SUCCEEDED");
  return build;
};

const dryRun = async (): Promise<RetentionReport> => {
  const response = await callRoute(getRetention, { url: "/api/retention", token: run.token });
  expect(response.status).toBe(200);
  return ((await response.json()) as { retention: RetentionReport }).retention;
};

const mine = (report: RetentionReport, ids: string[]) => report.images.filter((image) => ids.includes(image.buildId));

describe("retention", () => {
  it("keeps the last K=2 builds, shared image ids, share-linked and pinned builds; the dry run lists exactly what goes", async () => {
    const b1 = await buildOnce();
    const b2 = await buildOnce();
    // A cached rebuild can carry the very image id of another build: an older row that shares b2's image.
    const sharedTag = `lb-ops-retention-shared-${run.id}:x`;
    await docker(["tag", b2.imageId!, sharedTag]);
    run.images.push(sharedTag);
    const twin = await db.build.create({
      data: {
        projectId,
        variantId,
        status: "SUCCEEDED",
        queuedAt: new Date(b1.queuedAt.getTime() - 60_000),
        startedAt: new Date(b1.queuedAt.getTime() - 60_000),
        finishedAt: new Date(b1.queuedAt.getTime() - 30_000),
        imageId: b2.imageId,
        imageTag: sharedTag,
        totalSize: b2.totalSize,
      },
    });
    const ids = [twin.id, b1.id, b2.id];
    expect(mine(await dryRun(), ids)).toEqual([]);

    const b3 = await buildOnce();
    ids.push(b3.id);
    const rowsBefore = await db.build.count();
    const planned = await dryRun();
    expect(planned.dryRun).toBe(true);
    expect(mine(planned, ids).map((i) => ({ buildId: i.buildId, refs: i.refs }))).toEqual([{ buildId: b1.id, refs: [b1.imageTag] }]);
    expect(planned.imagesKept).toContainEqual({ buildId: twin.id, reason: "image-of-kept-build" });
    // Nothing happened yet.
    expect(await imageExists(b1.imageTag!)).toBe(true);

    const report = await runRetention({ dryRun: false, actor: "retention test" });
    expect(report.images.map((i) => i.buildId)).toEqual(planned.images.map((i) => i.buildId));
    expect(report.outcomes.filter((o) => ids.includes(o.buildId))).toEqual([{ buildId: b1.id, ref: b1.imageTag, result: "removed" }]);
    expect(await imageExists(b1.imageTag!)).toBe(false);
    expect(await imageExists(b1.imageId!)).toBe(false);
    for (const ref of [b2.imageTag!, b3.imageTag!, sharedTag, b2.imageId!]) expect(await imageExists(ref), ref).toBe(true);
    // No record lost; the removed one says so, in the API too.
    expect(await db.build.count()).toBe(rowsBefore);
    const removed = await callRoute(getBuildRoute, { url: `/api/builds/${b1.id}`, token: run.token, params: { id: b1.id } });
    const dto = ((await removed.json()) as { build: { imageRemovedAt: string | null; totalSize: number; layers: unknown[] } }).build;
    expect(dto.imageRemovedAt).not.toBeNull();
    expect(dto.totalSize).toBe(Number(b1.totalSize));
    expect(dto.layers.length).toBeGreaterThan(0);
    expect((await db.build.findUniqueOrThrow({ where: { id: twin.id } })).imageRemovedAt).toBeNull();

    // A share link on b2 keeps its image once b4 pushes it out of the last two.
    await createShareLink({ kind: "build", buildId: b2.id, expiresInDays: null });
    const b4 = await buildOnce();
    ids.push(b4.id);
    // Pinned through the API: b3 stays when K drops to 1.
    const pin = await callRoute(pinBuild, { method: "POST", url: `/api/builds/${b3.id}/pin`, token: run.token, params: { id: b3.id }, body: { pinned: true } });
    expect(pin.status).toBe(200);
    expect(((await pin.json()) as { build: { pinnedAt: string | null } }).build.pinnedAt).not.toBeNull();
    await db.project.update({ where: { id: projectId }, data: { retainBuilds: 1 } });
    const later = await dryRun();
    expect(mine(later, ids)).toEqual([]);
    const reasons = Object.fromEntries(later.imagesKept.filter((k) => ids.includes(k.buildId)).map((k) => [k.buildId, k.reason]));
    expect(reasons).toEqual({ [b2.id]: "shared", [b3.id]: "pinned", [twin.id]: "image-of-kept-build" });
    const again = await runRetention({ dryRun: false });
    expect(again.outcomes.filter((o) => ids.includes(o.buildId))).toEqual([]);
    for (const build of [b2, b3, b4]) expect(await imageExists(build.imageTag!), build.id).toBe(true);
    expect(await db.build.count()).toBe(rowsBefore + 1);
  });

  it("removes log lines older than D days while the build keeps its summary, and unused old archives", async () => {
    const [old, recent] = await db.build.findMany({ where: { variantId, status: "SUCCEEDED", logs: { some: {} } }, orderBy: { queuedAt: "asc" }, take: 2 });
    await db.build.update({ where: { id: old.id }, data: { finishedAt: new Date(Date.now() - 8 * DAY_MS) } });
    const lines = await db.logLine.count({ where: { buildId: old.id } });
    const recentLines = await db.logLine.count({ where: { buildId: recent.id } });
    expect(lines).toBeGreaterThan(0);
    const unused = await db.contextArchive.create({ data: { filename: "old.tar", size: 3, sha256: "x", data: new Uint8Array([1, 2, 3]), createdAt: new Date(Date.now() - 2 * DAY_MS) } });
    const fresh = await db.contextArchive.create({ data: { filename: "fresh.tar", size: 3, sha256: "y", data: new Uint8Array([1, 2, 3]) } });

    const planned = await dryRun();
    expect(planned.logs.map((l) => ({ buildId: l.buildId, days: l.days }))).toEqual([{ buildId: old.id, days: 7 }]);
    expect(planned.archives.map((a) => a.id)).toEqual([unused.id]);
    expect(await db.logLine.count({ where: { buildId: old.id } })).toBe(lines);

    // The job is scheduled through the queue, and "run now" queues it for a worker.
    const schedules = await (await getQueue()).getSchedules(RETENTION_QUEUE);
    expect(schedules.map((schedule) => schedule.cron)).toEqual(["0 0 1 1 *"]);
    const queued = await callRoute(postRetention, { method: "POST", url: "/api/retention", token: run.token });
    expect(queued.status).toBe(202);
    await waitFor("the worker's retention run", async () => (await db.build.findUniqueOrThrow({ where: { id: old.id } })).logRemovedAt, 60_000, 200);
    await waitFor("the unused archive to go", async () => !(await db.contextArchive.findUnique({ where: { id: unused.id } })), 10_000, 100);
    expect(await db.logLine.count({ where: { buildId: old.id } })).toBe(0);
    expect(await db.logLine.count({ where: { buildId: recent.id } })).toBe(recentLines);
    const after = await db.build.findUniqueOrThrow({ where: { id: old.id }, include: { steps: true, smoke: true } });
    expect(after.logRemovedAt).not.toBeNull();
    expect(after.logRetainedDays).toBe(7);
    expect(after.logLines).toBe(old.logLines);
    expect(after.steps.length).toBe(old.stepsTotal);
    expect(after.smoke?.runs).toBe(true);
    expect(await db.contextArchive.findUnique({ where: { id: unused.id } })).toBeNull();
    expect(await db.contextArchive.findUnique({ where: { id: fresh.id } })).not.toBeNull();
  });
});
