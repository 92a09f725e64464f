// Cancel and crash handling with real workers on the real engine: a user's cancel stops the
// engine build within seconds; a worker killed with -9 or stopped with SIGTERM never leaves
// its build "running".
import { afterAll, describe, expect, it } from "vitest";
import { POST as postCancel } from "@/app/api/builds/[id]/cancel/route";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import {
  BASE_IMAGE,
  callRoute,
  createDirectoryProject,
  docker,
  imageExists,
  processesMatching,
  queueBuild,
  startChildWorker,
  stopChildWorker,
  usePipelineRun,
  waitFor,
  waitForBuild,
  writeContext,
  type ChildWorker,
} from "../support/pipeline";

const run = usePipelineRun("BUILDER");
const { root, id, images } = run;
// The periodic orphan check runs every max(5, timeout / 3) s; 10 s keeps its test short.
process.env.LAYERBOARD_HEARTBEAT_TIMEOUT_S = "10";
let inProcess: WorkerHandle | undefined;
const children: ChildWorker[] = [];

/** A project whose only RUN prints `marker` then sleeps for a minute. */
const sleepyVariant = async (name: string) => {
  const marker = `${name}-${id}`;
  const dir = writeContext(root, marker, {
    Dockerfile: [`FROM ${BASE_IMAGE}`, `RUN echo ${marker} && sleep 60`, `CMD ["true"]`].join("\n"),
  });
  const project = await createDirectoryProject(marker, dir, [{ name: "default" }]);
  return { marker, variantId: project.variants[0].id };
};

/** Waits until the build runs and its RUN step's process exists on this machine. */
const waitUntilSleeping = async (buildId: string, marker: string) => {
  const build = await waitForBuild(buildId, ["RUNNING"], 60_000);
  await waitFor(`${marker} to be logged`, () => db.logLine.count({ where: { buildId, text: marker } }), 60_000).catch(async (error) => {
    const lines = await db.logLine.findMany({ where: { buildId }, orderBy: { seq: "asc" } });
    throw new Error(`${(error as Error).message}; status ${(await db.build.findUnique({ where: { id: buildId } }))?.status}; log:\n${lines.map((l) => l.text).join("\n")}`);
  });
  await waitFor(`the RUN process of ${marker}`, () => processesMatching(`${marker} && sleep 60`).length > 0, 10_000);
  return build;
};

const engineIsNotBuilding = async (marker: string, imageTag: string | null) => {
  await waitFor(`the RUN process of ${marker} to end`, () => processesMatching(`${marker} && sleep 60`).length === 0, 15_000);
  const containers = await docker(["ps", "-a", "--no-trunc", "--format", "{{.Command}}"]);
  expect(containers).not.toContain(marker);
  expect(imageTag).toBeTruthy();
  expect(await imageExists(imageTag!)).toBe(false);
};

afterAll(async () => {
  await inProcess?.stop({ graceMs: 2_000 });
  for (const child of children) await stopChildWorker(child);
});

describe("cancel", () => {
  it("cancels a queued build at once, and no worker runs it afterwards", async () => {
    const { variantId } = await sleepyVariant("queued");
    const buildId = await queueBuild(run.token, variantId);
    const response = await callRoute(postCancel, { method: "POST", url: `/api/builds/${buildId}/cancel`, token: run.token, params: { id: buildId } });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "CANCELLED" });

    inProcess = await startWorker({ concurrency: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const build = await db.build.findUniqueOrThrow({ where: { id: buildId } });
    expect(build).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED", startedAt: null, workerId: null });
  });

  it("stops a running build in the engine within seconds of POST /cancel", async () => {
    inProcess ??= await startWorker({ concurrency: 1 });
    const { marker, variantId } = await sleepyVariant("cancel");
    const buildId = await queueBuild(run.token, variantId);
    await waitUntilSleeping(buildId, marker);

    const requestedAt = Date.now();
    const response = await callRoute(postCancel, { method: "POST", url: `/api/builds/${buildId}/cancel`, token: run.token, params: { id: buildId } });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "RUNNING" });

    const build = await waitForBuild(buildId, ["CANCELLED", "FAILED", "SUCCEEDED", "INTERRUPTED"], 10_000);
    const latencyMs = Date.now() - requestedAt;
    images.push(build.imageTag);
    expect(build.status).toBe("CANCELLED");
    expect(build).toMatchObject({ errorCode: "CANCELLED", error: "cancelled by a user", imageId: null, totalSize: null });
    await engineIsNotBuilding(marker, build.imageTag);
    const goneMs = Date.now() - requestedAt;
    console.info(`cancel: CANCELLED ${latencyMs} ms after POST /cancel; RUN process gone after ≤ ${goneMs} ms`);

    const lastLine = await db.logLine.findFirst({ where: { buildId }, orderBy: { seq: "desc" } });
    expect(lastLine?.text).toBe("[layerboard] cancelled");

    const again = await callRoute(postCancel, { method: "POST", url: `/api/builds/${buildId}/cancel`, token: run.token, params: { id: buildId } });
    expect(again.status).toBe(409);
  });
});

describe("a worker that dies", () => {
  it("marks a build interrupted when its worker is killed with -9 and another worker starts", async () => {
    await inProcess?.stop({ graceMs: 2_000 });
    inProcess = undefined;
    const doomed = await startChildWorker();
    children.push(doomed);
    const { marker, variantId } = await sleepyVariant("kill9");
    const buildId = await queueBuild(run.token, variantId);
    const running = await waitUntilSleeping(buildId, marker);
    expect(running.workerId).toBe(doomed.id);
    expect((await db.worker.findUniqueOrThrow({ where: { id: doomed.id } })).pid).toBe(doomed.pid);

    process.kill(doomed.pid, "SIGKILL");
    expect(await doomed.exited).toEqual({ code: null, signal: "SIGKILL" });
    const killedAt = Date.now();
    // Nothing marks it while no worker runs: the dead worker cannot, and nobody else is looking.
    expect((await db.build.findUniqueOrThrow({ where: { id: buildId } })).status).toBe("RUNNING");

    inProcess = await startWorker({ concurrency: 1 });
    const build = await waitForBuild(buildId, ["INTERRUPTED", "SUCCEEDED", "FAILED", "CANCELLED"], 10_000);
    const latencyMs = Date.now() - killedAt;
    images.push(build.imageTag);
    expect(build.status).toBe("INTERRUPTED");
    expect(build.errorCode).toBe("INTERRUPTED");
    expect(build.error).toBe(`interrupted: its worker (pid ${doomed.pid} on ${(await db.worker.findUniqueOrThrow({ where: { id: doomed.id } })).hostname}) is no longer running`);
    expect(build.finishedAt).not.toBeNull();
    // The engine stopped the RUN when the dead worker's connection closed.
    await engineIsNotBuilding(marker, build.imageTag);
    console.info(`kill -9: INTERRUPTED ${latencyMs} ms after the kill (new worker's start-up check)`);
  });

  it("marks a build interrupted when its worker's heartbeat stops (the periodic check)", async () => {
    inProcess ??= await startWorker({ concurrency: 1 });
    const { variantId } = await sleepyVariant("stale");
    const variant = await db.variant.findUniqueOrThrow({ where: { id: variantId } });
    // A worker on another machine: its pid cannot be checked from here, only its heartbeat.
    const remote = await db.worker.create({ data: { id: `remote-${id}`, hostname: `elsewhere-${id}`, pid: 1, dockerHost: "tcp://elsewhere:2375" } });
    const stale = new Date(Date.now() - 11_000);
    const build = await db.build.create({
      data: { projectId: variant.projectId, variantId, status: "RUNNING", startedAt: stale, heartbeatAt: stale, workerId: remote.id },
    });
    const startedAt = Date.now();
    const interrupted = await waitForBuild(build.id, ["INTERRUPTED"], 12_000);
    expect(interrupted.error).toBe("interrupted: no heartbeat from its worker for over 10 s");
    console.info(`stale heartbeat: INTERRUPTED ${Date.now() - startedAt} ms after the build went stale (periodic check)`);
  });

  it("marks a running build interrupted, not running, when its worker gets SIGTERM", async () => {
    await inProcess?.stop({ graceMs: 2_000 });
    inProcess = undefined;
    const worker = await startChildWorker({ LAYERBOARD_SHUTDOWN_GRACE_S: "1" });
    children.push(worker);
    const { marker, variantId } = await sleepyVariant("sigterm");
    const buildId = await queueBuild(run.token, variantId);
    const running = await waitUntilSleeping(buildId, marker);
    expect(running.workerId).toBe(worker.id);

    const signalledAt = Date.now();
    process.kill(worker.pid, "SIGTERM");
    const exit = await Promise.race([worker.exited, new Promise((resolve) => setTimeout(() => resolve("still running"), 20_000))]);
    const exitMs = Date.now() - signalledAt;
    expect(exit).toEqual({ code: 0, signal: null });

    const build = await db.build.findUniqueOrThrow({ where: { id: buildId } });
    images.push(build.imageTag);
    expect(build.status).toBe("INTERRUPTED");
    expect(build).toMatchObject({ errorCode: "INTERRUPTED", error: "interrupted: the worker shut down" });
    expect((await db.worker.findUniqueOrThrow({ where: { id: worker.id } })).stoppedAt).not.toBeNull();
    // The log says why it ended, and says it before the build was marked finished.
    const lastLine = await db.logLine.findFirst({ where: { buildId }, orderBy: { seq: "desc" } });
    expect(lastLine?.text).toBe("[layerboard] interrupted: the worker shut down");
    expect(build.logLines).toBe(lastLine?.seq);
    await engineIsNotBuilding(marker, build.imageTag);
    console.info(`SIGTERM (grace 1 s): worker exited ${exitMs} ms after the signal, build INTERRUPTED`);
  });

  it("keeps a build queued through the shutdown of a worker waiting for its engine, for the next worker to run", async () => {
    const worker = await startChildWorker({ DOCKER_HOST: `unix:///tmp/lb-no-engine-${id}.sock`, LAYERBOARD_SHUTDOWN_GRACE_S: "1" });
    children.push(worker);
    const marker = `after-restart-${id}`;
    const dir = writeContext(root, marker, { Dockerfile: [`FROM ${BASE_IMAGE}`, `RUN echo ${marker}`, `CMD ["true"]`].join("\n") });
    const project = await createDirectoryProject(marker, dir, [{ name: "default" }]);
    const buildId = await queueBuild(run.token, project.variants[0].id);
    await waitFor("the worker to wait for its engine", () => /engine unreachable/.test(worker.output()), 20_000);
    expect((await db.build.findUniqueOrThrow({ where: { id: buildId } })).status).toBe("QUEUED");

    process.kill(worker.pid, "SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect((await db.build.findUniqueOrThrow({ where: { id: buildId } })).status).toBe("QUEUED");

    inProcess = await startWorker({ concurrency: 1 });
    const build = await waitForBuild(buildId, undefined, 60_000);
    images.push(build.imageTag);
    expect(build.status).toBe("SUCCEEDED");
    expect(build.workerId).toBe(inProcess.id);
  });
});
