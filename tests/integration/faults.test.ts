// Fault tolerance with real parts: an engine that is down before or dies during a build, a
// database that goes away mid-build, a worker stopped with SIGTERM or killed with -9. Each
// case checks the final state and that no log line or build record was lost or written twice.
// Faults are injected only on a second dockerd and a private Postgres that this file starts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgBoss } from "pg-boss";
import { createPrismaClient, db, type PrismaClient } from "@/lib/db";
import { BUILD_QUEUE, type BuildJob } from "@/lib/builds/queue";
import {
  createDirectoryProject,
  processesMatching,
  queueBuild,
  sleep,
  startChildWorker,
  stopChildWorker,
  usePipelineRun,
  waitFor,
  waitForBuild,
  writeContext,
  type ChildWorker,
} from "../support/pipeline";
import { startPrivatePostgres, type PrivatePostgres } from "@/lib/database/private-postgres";
import { checkBuildIntegrity } from "@/lib/harness/build-integrity";
import { createDirectoryProject as createDirectoryProjectIn } from "@/lib/harness/directory-project";
import { withDiagnostics } from "../support/diagnostics";
import { expectedPrintedLines, printingDockerfile, sleepingDockerfile } from "../support/dockerfiles";
import { createSecondEngine, type SecondEngine } from "../support/second-engine";

const run = usePipelineRun("BUILDER");
const { root, id, images } = run;
const markers: string[] = [];

const project = async (name: string, dockerfile: string) => {
  const marker = `${name}-${id}`;
  markers.push(marker);
  const dir = writeContext(root, marker, { Dockerfile: dockerfile.replaceAll("@MARKER@", marker) });
  const created = await createDirectoryProject(marker, dir, [{ name: "default" }]);
  return { marker, variantId: created.variants[0].id };
};

const logged = (client: PrismaClient, buildId: string, text: string) => async () =>
  (await client.logLine.count({ where: { buildId, text } })) > 0;

const killStrays = () => {
  // RUN processes of an engine that was killed outlive it; they carry this run's markers.
  for (const marker of markers)
    for (const pid of processesMatching(marker)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone
      }
    }
};

let postgres: PrivatePostgres;
let client: PrismaClient;

/** A build queued straight into the private database (the route handlers use the shared one). */
const queuePrivateBuild = async (name: string, dockerfile: string) => {
  const marker = `${name}-${id}`;
  markers.push(marker);
  const dir = writeContext(root, marker, { Dockerfile: dockerfile.replaceAll("@MARKER@", marker) });
  const created = await createDirectoryProjectIn(client, marker, dir, [{ name: "default" }]);
  const variant = created.variants[0];
  const build = await client.build.create({ data: { projectId: created.id, variantId: variant.id, builder: variant.builder } });
  const boss = new PgBoss({ connectionString: postgres.url, max: 1, supervise: false, schedule: false });
  boss.on("error", () => undefined);
  await boss.start();
  await boss.send(BUILD_QUEUE, { buildId: build.id } satisfies BuildJob, { singletonKey: build.id });
  await boss.stop({ graceful: false });
  return { marker, buildId: build.id };
};

const waitForPrivateBuild = (buildId: string, timeoutMs: number) =>
  waitFor(
    `build ${buildId} to finish`,
    async () => {
      const build = await client.build.findUniqueOrThrow({ where: { id: buildId } }).catch(() => null);
      return build && !["QUEUED", "RUNNING"].includes(build.status) ? build : null;
    },
    timeoutMs,
    250,
  );

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  client = createPrismaClient(postgres.url);
});

afterAll(async () => {
  killStrays();
  await client?.$disconnect().catch(() => undefined);
  await postgres?.remove();
});

describe("an engine that is down", () => {
  let engine: SecondEngine;
  let worker: ChildWorker | undefined;

  beforeAll(async () => {
    engine = createSecondEngine();
    await engine.start();
    await engine.copyImageIn();
    await engine.stop();
  });

  afterAll(async () => {
    await stopChildWorker(worker);
    killStrays();
    await engine?.remove();
  });

  it("keeps a build queued (not failed) while the engine is down, and runs it to success once it is back", async () => {
    worker = await startChildWorker({ DOCKER_HOST: engine.host, LAYERBOARD_NETWORK_MODE: "host" });
    const { marker, variantId } = await project("engine-down", printingDockerfile("@MARKER@", 3, 0));
    const buildId = await queueBuild(run.token, variantId);
    await waitFor("the worker to wait for its engine", () => /engine unreachable/.test(worker!.output()), 20_000);
    await sleep(4_000); // more than one engine retry (3 s)
    const waiting = await db.build.findUniqueOrThrow({ where: { id: buildId } });
    expect(waiting).toMatchObject({ status: "QUEUED", startedAt: null, workerId: null, errorCode: null });

    const startedAt = Date.now();
    await engine.start();
    const build = await waitForBuild(buildId, undefined, 120_000);
    const doneMs = Date.now() - startedAt;
    expect(build.status).toBe("SUCCEEDED");
    expect(build.workerId).toBe(worker.id);
    expect(await db.smokeResult.count({ where: { buildId } })).toBe(1);
    const integrity = await checkBuildIntegrity(db, buildId, { lines: expectedPrintedLines(marker, 3) });
    expect(integrity.problems).toEqual([]);
    console.info(`engine down before the build: QUEUED while down; SUCCEEDED ${doneMs} ms after the engine started (${integrity.logLines} log lines)`);
  });

  it("claims a build once the database is back when it was down at the moment of the claim", async () => {
    await engine.stop();
    const claimer = await startChildWorker({ DATABASE_URL: postgres.url, DOCKER_HOST: engine.host, LAYERBOARD_NETWORK_MODE: "host" });
    let buildId: string | undefined;
    try {
      await withDiagnostics({ client, buildId: () => buildId, workers: () => [claimer] }, async () => {
        const queued = await queuePrivateBuild("claim-db-down", printingDockerfile("@MARKER@", 3, 0));
        buildId = queued.buildId;
        // The worker holds the job and waits for its engine; the database goes; the engine comes
        // back, so the worker tries to claim the build while the database is down.
        await waitFor("the worker to wait for its engine", () => /engine unreachable/.test(claimer.output()), 20_000);
        await postgres.stop();
        await engine.start();
        await sleep(6_000); // two engine retries (3 s): the claim is attempted and fails
        await postgres.start();
        const upAt = Date.now();
        const build = await waitForPrivateBuild(queued.buildId, 90_000);
        expect(build.status).toBe("SUCCEEDED");
        expect(build.workerId).toBe(claimer.id);
        const integrity = await checkBuildIntegrity(client, queued.buildId, { lines: expectedPrintedLines(queued.marker, 3) });
        expect(integrity.problems).toEqual([]);
        expect(claimer.child.exitCode).toBeNull();
        console.info(`database down at the claim: SUCCEEDED ${Date.now() - upAt} ms after the database came back`);
      });
    } finally {
      await stopChildWorker(claimer);
    }
  });

  it("fails a build with ENGINE_UNAVAILABLE within seconds when the engine dies mid-RUN", async () => {
    expect(engine.isRunning()).toBe(true);
    const { marker, variantId } = await project("engine-dies", sleepingDockerfile("@MARKER@", 30));
    const buildId = await queueBuild(run.token, variantId);
    await waitFor(`${marker} to be logged`, logged(db, buildId, marker), 60_000, 200);
    await waitFor(`the RUN process of ${marker}`, () => processesMatching(`${marker} && sleep 30`).length > 0, 10_000);

    const killedAt = Date.now();
    await engine.kill();
    const build = await waitForBuild(buildId, undefined, 30_000);
    const latencyMs = Date.now() - killedAt;
    expect(build.status).toBe("FAILED");
    expect(build.errorCode).toBe("ENGINE_UNAVAILABLE");
    expect(build.error).toContain("engine unreachable");
    expect(build.finishedAt).not.toBeNull();
    const integrity = await checkBuildIntegrity(db, buildId, { lines: [marker] });
    expect(integrity.problems).toEqual([]);
    const last = await db.logLine.findFirst({ where: { buildId }, orderBy: { seq: "desc" } });
    expect(last?.text).toMatch(/^\[layerboard\] failed: /);
    // The worker survived and waits for its engine again.
    expect(worker!.child.exitCode).toBeNull();
    console.info(`engine killed mid-RUN: FAILED/ENGINE_UNAVAILABLE ${latencyMs} ms after the kill — ${build.error}`);
  });
});

describe("a database that goes away for a few seconds", () => {
  let worker: ChildWorker | undefined;

  afterAll(async () => {
    await stopChildWorker(worker);
  });

  it("completes a build whose database stopped for 5 s mid-build, with every log line stored once", async () => {
    const current = await startChildWorker({ DATABASE_URL: postgres.url });
    worker = current;
    const lines = 80;
    const { marker, buildId } = await queuePrivateBuild("db-blip", printingDockerfile("@MARKER@", lines, 0.25));
    await withDiagnostics({ client, buildId: () => buildId, workers: () => [worker] }, async () => {
      await waitFor(`line 10 of ${marker}`, logged(client, buildId, `${marker} line-10`), 60_000, 200);

      const downAt = Date.now();
      await postgres.stop();
      await sleep(5_000);
      await postgres.start();
      const upAt = Date.now();

      const build = await waitForPrivateBuild(buildId, 120_000);
      images.push(build.imageTag);
      expect(build.status).toBe("SUCCEEDED");
      expect(build.errorCode).toBeNull();
      expect(build.workerId).toBe(current.id);
      expect(await client.smokeResult.count({ where: { buildId } })).toBe(1);
      const integrity = await checkBuildIntegrity(client, buildId, { lines: expectedPrintedLines(marker, lines) });
      expect(integrity.problems).toEqual([]);
      // The outage was seen (the heartbeat failed) and survived.
      expect(current.output()).toMatch(/heartbeat failed/);
      expect(current.child.exitCode).toBeNull();
      console.info(
        `database down ${upAt - downAt} ms mid-build: SUCCEEDED ${Date.now() - upAt} ms after it came back; ${integrity.logLines} log lines, 1..N, each once`,
      );

      // The worker's queue and database connections survived: it takes the next build.
      const next = await queuePrivateBuild("db-after", printingDockerfile("@MARKER@", 2, 0));
      const after = await waitForPrivateBuild(next.buildId, 120_000);
      images.push(after.imageTag);
      expect(after.status).toBe("SUCCEEDED");
      expect((await checkBuildIntegrity(client, next.buildId, { lines: expectedPrintedLines(next.marker, 2) })).problems).toEqual([]);
    });
  });
});

describe("a worker that is stopped or killed", () => {
  const children: ChildWorker[] = [];

  afterAll(async () => {
    for (const child of children) await stopChildWorker(child);
  });

  // SIGTERM with a 1 s grace (the build becomes INTERRUPTED) is covered by
  // pipeline-cancel-and-interrupt.test.ts; this is the other half.
  it("lets the running build finish on SIGTERM when the grace is long enough, then exits 0", async () => {
    const worker = await startChildWorker({ LAYERBOARD_SHUTDOWN_GRACE_S: "60" });
    children.push(worker);
    const lines = 16;
    const { marker, variantId } = await project("sigterm-grace", printingDockerfile("@MARKER@", lines, 0.5));
    const buildId = await queueBuild(run.token, variantId);
    await withDiagnostics({ client: db, buildId: () => buildId, workers: () => [worker] }, async () => {
      await waitFor(`line 1 of ${marker}`, logged(db, buildId, `${marker} line-1`), 60_000, 200);

      const signalledAt = Date.now();
      process.kill(worker.pid, "SIGTERM");
      const exit = await Promise.race([worker.exited, sleep(90_000).then(() => "still running")]);
      const exitMs = Date.now() - signalledAt;
      expect(exit).toEqual({ code: 0, signal: null });

      const build = await db.build.findUniqueOrThrow({ where: { id: buildId } });
      images.push(build.imageTag);
      expect(build.status).toBe("SUCCEEDED");
      expect(build.workerId).toBe(worker.id);
      expect(build.finishedAt!.getTime()).toBeLessThanOrEqual(Date.now());
      expect(await db.smokeResult.count({ where: { buildId } })).toBe(1);
      const integrity = await checkBuildIntegrity(db, buildId, { lines: expectedPrintedLines(marker, lines) });
      expect(integrity.problems).toEqual([]);
      expect((await db.worker.findUniqueOrThrow({ where: { id: worker.id } })).stoppedAt).not.toBeNull();
      console.info(`SIGTERM (grace 60 s): build SUCCEEDED, worker exited 0 ${exitMs} ms after the signal`);
    });
  });

  it("marks a build INTERRUPTED when its worker is killed with -9, keeping the lines it logged and nothing twice", async () => {
    const doomed = await startChildWorker();
    children.push(doomed);
    const { marker, variantId } = await project("kill9", printingDockerfile("@MARKER@", 60, 0.5));
    const buildId = await queueBuild(run.token, variantId);
    await withDiagnostics({ client: db, buildId: () => buildId, workers: () => children }, async () => {
      await waitFor(`line 5 of ${marker}`, logged(db, buildId, `${marker} line-5`), 60_000, 200);
      await sleep(500); // let a batch be in flight

      process.kill(doomed.pid, "SIGKILL");
      await doomed.exited;
      const killedAt = Date.now();
      const successor = await startChildWorker();
      children.push(successor);
      const build = await waitForBuild(buildId, undefined, 15_000);
      const latencyMs = Date.now() - killedAt;
      images.push(build.imageTag);
      expect(build.status).toBe("INTERRUPTED");
      expect(build.errorCode).toBe("INTERRUPTED");
      expect(build.error).toContain(`pid ${doomed.pid}`);

      const integrity = await checkBuildIntegrity(db, buildId);
      expect(integrity.problems).toEqual([]);
      const texts = (await db.logLine.findMany({ where: { buildId }, select: { text: true } })).map((line) => line.text);
      const numbered = texts.flatMap((text) => (text.startsWith(`${marker} line-`) ? [Number(text.split("line-")[1])] : []));
      expect(numbered.length).toBeGreaterThanOrEqual(5);
      expect(numbered).toEqual(numbered.map((_, i) => i + 1)); // a prefix, in order, each once

      // Never silently retried: the successor does not pick the job up again.
      await sleep(3_000);
      expect((await db.build.findUniqueOrThrow({ where: { id: buildId } })).status).toBe("INTERRUPTED");
      expect(await db.build.count({ where: { variantId } })).toBe(1);
      console.info(`kill -9: INTERRUPTED ${latencyMs} ms after the kill (successor's start-up check); ${numbered.length} lines kept`);
    });
  });
});
