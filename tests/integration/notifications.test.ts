// Notifications against a local HTTP receiver, through real builds on the real engine and the
// real queue: one delivery per event, a 500 retried, nothing for events a webhook did not
// subscribe to, a verifiable HMAC signature, and secrets never readable back.
process.env.LAYERBOARD_SECRET_KEY ??= "notifications-test-key-0123456789abcdef";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { findWebhookDeliveries, findWebhooks } from "@/lib/data/webhooks";
import { saveWebhook, sendTestNotification } from "@/lib/notifications/manage-webhooks";
import { verifyWebhookSignature } from "@/lib/notifications/signature";
import type { NotificationPayload } from "@/lib/notifications/events";
import { BASE_IMAGE, createDirectoryProject, queueBuild, usePipelineRun, waitFor, waitForBuild, writeContext } from "../support/pipeline";

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string; status: number };

const run = usePipelineRun("ADMIN");
const SECRET = `signing-secret-${run.id}-0123456789`;
const received: Received[] = [];
// The first request to /generic answers 500: the queue must retry it.
let failNextGeneric = true;
let server: http.Server;
let baseUrl: string;
let worker: WorkerHandle;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const status = request.url === "/generic" && failNextGeneric ? 500 : 200;
      if (request.url === "/generic") failNextGeneric = false;
      received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      response.writeHead(status, { "content-type": "text/plain" }).end(status === 500 ? "boom" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = await startWorker({ concurrency: 1 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
  await new Promise((resolve) => server.close(resolve));
});

const payloadOf = (r: Received) => JSON.parse(r.body) as NotificationPayload;

describe("notifications", () => {
  it("sends one delivery per event to subscribed webhooks only, retries after a 500, signs the generic one", async () => {
    const dir = writeContext(run.root, `notify-${run.id}`, {
      Dockerfile: [`FROM ${BASE_IMAGE}`, `RUN echo notify-${run.id} > /marker`, `CMD ["true"]`].join("\n"),
      "Dockerfile.broken": [`FROM ${BASE_IMAGE}`, `RUN echo broken-${run.id} && exit 3`].join("\n"),
    });
    const project = await createDirectoryProject(`notify-${run.id}`, dir, [
      { name: "broken", dockerfile: "Dockerfile.broken" },
      { name: "budget", smokeCommand: ["true"] },
      { name: "norun", smokeCommand: ["false"] },
    ]);
    const [broken, budget, norun] = project.variants;
    await db.variant.update({ where: { id: budget.id }, data: { sizeBudgetBytes: 1n } });

    const generic = await saveWebhook({
      projectId: project.id,
      name: "generic",
      format: "generic",
      events: ["build.failed", "build.does_not_run", "budget.exceeded", "size.regression"],
      enabled: true,
      url: `${baseUrl}/generic`,
      secret: SECRET,
      removeSecret: false,
    });
    const slack = await saveWebhook({
      projectId: project.id,
      name: "slack",
      format: "slack",
      events: ["build.failed"],
      enabled: true,
      url: `${baseUrl}/slack?token=url-token-${run.id}`,
      removeSecret: false,
    });
    // Never readable back: not in the DTOs, not in plain text in the database.
    const listed = JSON.stringify(await findWebhooks(project.id));
    expect(listed).not.toContain(SECRET);
    expect(listed).not.toContain(`url-token-${run.id}`);
    expect(listed).not.toContain(`${baseUrl}/generic`);
    const stored = JSON.stringify(await db.webhook.findMany({ where: { projectId: project.id } }));
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(`url-token-${run.id}`);

    const failed = await waitForBuild(await queueBuild(run.token, broken.id), undefined, 180_000);
    expect(failed.status).toBe("FAILED");
    const first = await waitForBuild(await queueBuild(run.token, budget.id), undefined, 180_000);
    run.images.push(first.imageTag);
    expect(first.status, `${first.error}`).toBe("SUCCEEDED");
    // The next build of the variant is then twice the size of the previous successful one.
    await db.build.update({ where: { id: first.id }, data: { totalSize: first.totalSize! / 2n } });
    const second = await waitForBuild(await queueBuild(run.token, budget.id), undefined, 180_000);
    run.images.push(second.imageTag);
    const notRunning = await waitForBuild(await queueBuild(run.token, norun.id), undefined, 180_000);
    run.images.push(notRunning.imageTag);
    expect(notRunning.status).toBe("SUCCEEDED");

    const expected = [
      `build.failed ${failed.id}`,
      `budget.exceeded ${first.id}`,
      `budget.exceeded ${second.id}`,
      `size.regression ${second.id}`,
      `build.does_not_run ${notRunning.id}`,
    ].sort();
    const delivered = () => received.filter((r) => r.path === "/generic" && r.status === 200);
    await waitFor("the generic webhook's five deliveries", () => delivered().length >= expected.length, 120_000, 200);
    expect(delivered().map((r) => `${payloadOf(r).event} ${payloadOf(r).build!.id}`).sort()).toEqual(expected);
    // One delivery id per event; the 500 was retried under the same id.
    expect(new Set(delivered().map((r) => r.headers["x-layerboard-delivery"])).size).toBe(expected.length);
    const refused = received.filter((r) => r.path === "/generic" && r.status === 500);
    expect(refused).toHaveLength(1);
    expect(delivered().some((r) => r.headers["x-layerboard-delivery"] === refused[0].headers["x-layerboard-delivery"])).toBe(true);
    for (const r of delivered()) {
      const timestamp = String(r.headers["x-layerboard-timestamp"]);
      expect(verifyWebhookSignature(SECRET, timestamp, r.body, String(r.headers["x-layerboard-signature"])), r.body).toBe(true);
      expect(payloadOf(r).schema).toBe("layerboard.notification/v1");
    }
    const retried = (await findWebhookDeliveries(generic.id)).filter((d) => d.deliveryId === refused[0].headers["x-layerboard-delivery"]);
    expect(retried.map((d) => [d.attempt, d.ok, d.statusCode]).sort()).toEqual([
      [1, false, 500],
      [2, true, 200],
    ]);

    // The Slack webhook subscribed to failures only: exactly the one, in Slack's shape, unsigned.
    const slackCalls = received.filter((r) => r.path.startsWith("/slack"));
    expect(slackCalls).toHaveLength(1);
    const slackBody = JSON.parse(slackCalls[0].body) as { text: string; blocks: unknown[] };
    expect(slackBody.text).toContain("[build.failed]");
    expect(slackBody.blocks.length).toBeGreaterThan(0);
    expect(slackCalls[0].path).toBe(`/slack?token=url-token-${run.id}`);
    expect(slackCalls[0].headers["x-layerboard-signature"]).toBeUndefined();
    expect(await db.webhookDelivery.count({ where: { webhookId: slack.id } })).toBe(1);

    // The "send test" button: one immediate delivery, in the log.
    const test = await sendTestNotification(slack.id);
    expect(test).toMatchObject({ ok: true, statusCode: 200 });
    expect(JSON.parse(received.at(-1)!.body).text).toContain("[test]");
    expect((await findWebhookDeliveries(slack.id))[0]).toMatchObject({ event: "test", ok: true, attempt: 1 });
  });

  it("judges a compressed budget once the estimate is in, on the compressed size, once", async () => {
    const dir = writeContext(run.root, `notify-compressed-${run.id}`, {
      Dockerfile: [`FROM ${BASE_IMAGE}`, `RUN head -c 2000000 /dev/urandom > /noise-${run.id}`, `CMD ["true"]`].join("\n"),
    });
    const project = await createDirectoryProject(`notify-compressed-${run.id}`, dir, [{ name: "wire", smokeCommand: ["true"] }]);
    const [variant] = project.variants;
    // 1 MB compressed: over it (the 2 MB of noise do not compress); far under it on disk it would not matter.
    await db.variant.update({ where: { id: variant.id }, data: { sizeBudgetBytes: 1_000_000n, budgetBasis: "COMPRESSED" } });
    await saveWebhook({ projectId: project.id, name: "wire", format: "generic", events: ["budget.exceeded", "size.regression"], enabled: true, url: `${baseUrl}/compressed`, removeSecret: false });

    const built = await waitForBuild(await queueBuild(run.token, variant.id), undefined, 180_000);
    run.images.push(built.imageTag);
    expect(built.status, `${built.error}`).toBe("SUCCEEDED");
    const calls = () => received.filter((r) => r.path === "/compressed");
    const estimated = await waitFor("the compressed estimate", async () => {
      const row = await db.build.findUniqueOrThrow({ where: { id: built.id } });
      return row.compressedSource === "ESTIMATED" ? row : null;
    }, 300_000, 250);
    await waitFor("the compressed budget's delivery", () => calls().length >= 1, 60_000, 100);
    const payload = payloadOf(calls()[0]);
    expect(payload.event).toBe("budget.exceeded");
    expect(payload.build).toMatchObject({ id: built.id, budgetBasis: "COMPRESSED", compressedSizeBytes: Number(estimated.compressedSize) });
    expect(payload.message).toContain("compressed is over the budget of 1.0 MB");
    // Raised once: not at the build's end (the size was not known), and not again.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(calls()).toHaveLength(1);
  }, 400_000);
});
