// /api/metrics against the real database and engine: who may scrape it, and the numbers move
// when real builds run (queued, then built by a worker in another process, smoke-run,
// finished); that worker's log is JSON lines, each line about a build carrying its buildId.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as getMetrics } from "@/app/api/metrics/route";
import { db } from "@/lib/db";
import { parseMetrics } from "@/lib/harness/prometheus-text";
import {
  BASE_IMAGE,
  createDirectoryProject,
  createToken,
  queueBuild,
  startChildWorker,
  stopChildWorker,
  usePipelineRun,
  waitFor,
  waitForBuild,
  writeContext,
  type ChildWorker,
} from "../support/pipeline";

const run = usePipelineRun("VIEWER");
const { root, id, images } = run;
let worker: ChildWorker | undefined;
const METRICS_TOKEN = `metrics-${randomBytes(24).toString("hex")}`;
const OPS_VARIABLES = ["LAYERBOARD_METRICS_TOKEN", "LAYERBOARD_METRICS_ANONYMOUS", "HOSTNAME_BIND"] as const;
const saved = Object.fromEntries(OPS_VARIABLES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of OPS_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
afterAll(async () => {
  await stopChildWorker(worker);
});

const scrape = async (options: { token?: string; url?: string; headers?: Record<string, string> } = {}) => {
  const response = await getMetrics(
    new Request(options.url ?? "http://localhost:3000/api/metrics", {
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    }),
  );
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
};

const metricsWith = async (token: string) => {
  const { status, text } = await scrape({ token });
  expect(status, text).toBe(200);
  return parseMetrics(text);
};

describe("who may read /api/metrics", () => {
  it("refuses anonymous callers and wrong tokens (401), accepts LAYERBOARD_METRICS_TOKEN and a viewer's API token", async () => {
    process.env.LAYERBOARD_METRICS_TOKEN = METRICS_TOKEN;
    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toContain("UNAUTHENTICATED");
    expect(anonymous.text).not.toContain("layerboard_builds_total");
    expect((await scrape({ token: `${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await scrape({ token: "lbt_not-a-token" })).status).toBe(401);

    const dedicated = await scrape({ token: METRICS_TOKEN });
    expect(dedicated.status).toBe(200);
    expect(dedicated.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parseMetrics(dedicated.text).typeOf("layerboard_builds_total")).toBe("COUNTER");
    expect((await scrape({ token: run.token })).status).toBe(200);

    // Without the variable set, the dedicated token is just an unknown Bearer value.
    delete process.env.LAYERBOARD_METRICS_TOKEN;
    expect((await scrape({ token: METRICS_TOKEN })).status).toBe(401);
  });

  it("answers anonymous callers only on the loopback opt-in, while bound to loopback and not through a proxy", async () => {
    process.env.LAYERBOARD_METRICS_ANONYMOUS = "loopback";
    process.env.HOSTNAME_BIND = "127.0.0.1";
    const local = await scrape({ url: "http://127.0.0.1:3000/api/metrics" });
    expect(local.status, local.text).toBe(200);
    expect(parseMetrics(local.text).typeOf("layerboard_workers_alive")).toBe("GAUGE");
    expect((await scrape({ url: "http://127.0.0.1:3000/api/metrics", headers: { "x-forwarded-for": "203.0.113.7" } })).status).toBe(401);
    expect((await scrape({ url: "http://layerboard.example:3000/api/metrics" })).status).toBe(401);
    // A bad token is refused even where anonymous callers are answered.
    expect((await scrape({ url: "http://127.0.0.1:3000/api/metrics", token: "lbt_not-a-token" })).status).toBe(401);

    process.env.HOSTNAME_BIND = "0.0.0.0";
    expect((await scrape({ url: "http://127.0.0.1:3000/api/metrics" })).status).toBe(401);
    delete process.env.HOSTNAME_BIND;
    expect((await scrape({ url: "http://127.0.0.1:3000/api/metrics" })).status).toBe(401);
    process.env.HOSTNAME_BIND = "127.0.0.1";
    process.env.LAYERBOARD_METRICS_ANONYMOUS = "off";
    expect((await scrape({ url: "http://127.0.0.1:3000/api/metrics" })).status).toBe(401);
  });
});

describe("the numbers", () => {
  it("move when builds run: queue, workers, builds by status, image size, smoke runs and the duration histogram", async () => {
    const builderToken = await createToken("BUILDER");
    const dir = writeContext(root, `metrics-${id}`, {
      Dockerfile: [`FROM ${BASE_IMAGE}`, `RUN echo "metrics ${id}" > /marker`, `CMD ["true"]`].join("\n"),
    });
    const slug = `metrics-${id}`;
    const project = await createDirectoryProject(slug, dir, [
      { name: "runs", noCache: true },
      { name: "does-not-run", smokeCommand: ["sh", "-c", "exit 3"] },
    ]);
    const runs = { project: slug, variant: "runs" };
    const fails = { project: slug, variant: "does-not-run" };

    const before = await metricsWith(run.token);
    expect(before.value("layerboard_builds_total", { ...runs, status: "SUCCEEDED" })).toBe(0);
    expect(before.value("layerboard_smoke_runs_total", runs)).toBe(0);
    expect(before.value("layerboard_smoke_failures_total", fails)).toBe(0);
    expect(before.value("layerboard_image_size_bytes", runs)).toBeUndefined();
    expect(before.histogram("layerboard_build_duration_seconds", { ...runs, outcome: "SUCCEEDED" })).toBeUndefined();
    const queuedBefore = before.value("layerboard_builds_queued")!;
    const succeededBefore = before.samples("layerboard_builds_total").filter((s) => s.labels.status === "SUCCEEDED").reduce((sum, s) => sum + s.value, 0);

    // No worker of this file yet: the builds wait in the queue.
    const buildIds = [await queueBuild(builderToken, project.variants[0].id), await queueBuild(builderToken, project.variants[1].id)];
    const queued = await metricsWith(run.token);
    expect(queued.value("layerboard_builds_queued")).toBe(queuedBefore + 2);
    const oldestAge = queued.value("layerboard_queue_oldest_age_seconds")!;
    const queuedAt = await db.build.findUniqueOrThrow({ where: { id: buildIds[0] } });
    expect(oldestAge).toBeGreaterThanOrEqual(0);
    expect(oldestAge).toBeGreaterThanOrEqual((Date.now() - queuedAt.queuedAt.getTime()) / 1000 - 60);

    worker = await startChildWorker({ LAYERBOARD_LOG_FORMAT: "json", LAYERBOARD_LOG_LEVEL: "info" });
    const alive = await metricsWith(run.token);
    expect(alive.value("layerboard_workers_alive")).toBeGreaterThanOrEqual(1);
    expect(await db.worker.count({ where: { id: worker.id, stoppedAt: null } })).toBe(1);

    const [built, broken] = await Promise.all(buildIds.map((buildId) => waitForBuild(buildId, undefined, 240_000)));
    images.push(built.imageTag, broken.imageTag);
    expect([built.status, broken.status], `${built.error} / ${broken.error}`).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(await db.smokeResult.findUniqueOrThrow({ where: { buildId: broken.id } })).toMatchObject({ runs: false, exitCode: 3 });

    const after = await metricsWith(run.token);
    expect(after.value("layerboard_builds_total", { ...runs, status: "SUCCEEDED" })).toBe(1);
    expect(after.value("layerboard_builds_total", { ...fails, status: "SUCCEEDED" })).toBe(1);
    expect(after.value("layerboard_builds_total", { ...runs, status: "FAILED" })).toBe(0);
    const succeededAfter = after.samples("layerboard_builds_total").filter((s) => s.labels.status === "SUCCEEDED").reduce((sum, s) => sum + s.value, 0);
    expect(succeededAfter).toBe(succeededBefore + 2);
    expect(after.value("layerboard_builds_queued")).toBe(queuedBefore);
    expect(after.value("layerboard_image_size_bytes", runs)).toBe(Number(built.totalSize));
    expect(after.value("layerboard_image_runs", runs)).toBe(1);
    expect(after.value("layerboard_image_runs", fails)).toBe(0);
    expect(after.value("layerboard_smoke_runs_total", runs)).toBe(1);
    expect(after.value("layerboard_smoke_failures_total", runs)).toBe(0);
    expect(after.value("layerboard_smoke_failures_total", fails)).toBe(1);

    const durationMs = built.durationMs!;
    const histogram = after.histogram("layerboard_build_duration_seconds", { ...runs, outcome: "SUCCEEDED" });
    expect(histogram).toBeDefined();
    expect(histogram!.count).toBe(1);
    expect(histogram!.sum).toBeCloseTo(durationMs / 1000, 3);
    expect(histogram!.buckets["+Inf"]).toBe(1);
    for (const [le, count] of Object.entries(histogram!.buckets)) expect(count, `le=${le}`).toBe(le === "+Inf" || durationMs <= Number(le) * 1000 ? 1 : 0);

    // The web process's own metrics come with every scrape.
    expect(after.value("process_resident_memory_bytes")).toBeGreaterThan(0);

    await stopChildWorker(worker);
    const exited = await worker.exited;
    expect(exited.code).toBe(0);

    // The worker's stdout: one JSON object a line; every line naming a build carries its buildId.
    const lines = worker.output().split("\n").filter((line) => line.startsWith("{"));
    const records = lines.map((line) => JSON.parse(line) as { level: string; time: string; msg: string; buildId?: string; workerId?: string });
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const record of records) {
      expect(record.level).toMatch(/^(info|warn|error)$/);
      expect(Number.isNaN(Date.parse(record.time))).toBe(false);
      expect(record.workerId).toBe(worker.id);
    }
    for (const buildId of buildIds) {
      const about = records.filter((record) => record.msg.includes(buildId));
      expect(about.length, `lines about ${buildId}`).toBeGreaterThanOrEqual(2);
      expect(about.every((record) => record.buildId === buildId)).toBe(true);
    }
    expect(records.find((record) => record.msg.includes("taking builds"))).toBeDefined();
    expect(worker.output()).not.toMatch(/postgres(ql)?:\/\/[^:\s]+:[^@\s[]+@/);
    worker = undefined;
    await waitFor("the stopped worker to leave layerboard_workers_alive", async () => (await metricsWith(run.token)).value("layerboard_workers_alive") === alive.value("layerboard_workers_alive")! - 1, 10_000);
    expect((await metricsWith(run.token)).value("layerboard_workers_alive")).toBe(alive.value("layerboard_workers_alive")! - 1);
  });
});
