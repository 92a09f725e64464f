// Retention and notifications in a real browser: Settings shows the engine's disk usage and a
// dry run; a build page says its image and log were removed and can be pinned; a project's
// settings save its retention and a webhook whose URL and secret are never shown again, and
// "Send test" reaches a local receiver.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { baseUrl, screenshot, signIn, trackConsoleErrors, useBrowser } from "../support/browser";

const unique = randomBytes(3).toString("hex");
const received: Array<{ url: string; body: string }> = [];
let server: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      received.push({ url: request.url ?? "", body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/secret-path-${unique}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.$disconnect();
});

describe("retention and webhooks", () => {
  const browser = useBrowser();

  it("shows disk usage and a dry run, a removed image and log on the build page, pins it, and manages a webhook", async () => {
    const project = await db.project.create({
      data: {
        slug: `retention-e2e-${unique}`,
        name: `Retention e2e ${unique}`,
        contextKind: "DIRECTORY",
        contextPath: path.resolve("examples/pyapp"),
        variants: { create: [{ name: "single", strategy: "SINGLE_STAGE" }] },
      },
      include: { variants: true },
    });
    const finishedAt = new Date(Date.now() - 10 * 24 * 3600 * 1000);
    const build = await db.build.create({
      data: {
        projectId: project.id,
        variantId: project.variants[0].id,
        status: "SUCCEEDED",
        queuedAt: finishedAt,
        startedAt: finishedAt,
        finishedAt,
        durationMs: 1000,
        imageId: `sha256:${"0".repeat(64)}`,
        imageTag: `layerboard/retention-e2e-${unique}:x`,
        totalSize: 123_456_789n,
        logLines: 42,
        imageRemovedAt: new Date(),
        logRemovedAt: new Date(),
        logRetainedDays: 7,
      },
    });

    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);

    // The engine is shared and /system/df can be slow while others build: the page says so and a reload asks again.
    const usage = page.getByTestId("disk-usage");
    await expect
      .poll(
        async () => {
          await page.goto(`${baseUrl()}/settings`);
          return usage.count();
        },
        { timeout: 120_000, interval: 2000 },
      )
      .toBe(1);
    expect(await usage.locator("tbody tr").count()).toBe(4);
    expect(await usage.locator('tr[data-kind="buildCache"]').textContent()).toMatch(/Build cache/);
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByTestId("retention-dry-run").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("retention-dry-run").textContent()).toMatch(/Dry run on .* image\(s\)/);
    await screenshot(page, "settings-retention");

    await page.goto(`${baseUrl()}/builds/${build.id}`);
    expect(await page.getByTestId("image-removed").textContent()).toMatch(/Image removed/);
    expect(await page.getByTestId("log-removed").textContent()).toMatch(/Log removed after 7 days/);
    await page.getByRole("button", { name: "Pin this build" }).click();
    await expect.poll(() => page.getByTestId("build-pin").textContent(), { timeout: 15_000 }).toMatch(/pinned by admin@e2e\.test/);
    expect((await db.build.findUniqueOrThrow({ where: { id: build.id } })).pinnedAt).not.toBeNull();
    await screenshot(page, "build-retention");

    await page.goto(`${baseUrl()}/projects/${project.id}/settings`);
    const retention = page.getByTestId("project-retention-form");
    await retention.getByLabel("Images kept per variant (last K builds)").fill("3");
    await retention.getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await db.project.findUniqueOrThrow({ where: { id: project.id } })).retainBuilds, { timeout: 15_000 }).toBe(3);

    const form = page.getByTestId("webhook-form-new");
    const secret = `signing-secret-${unique}-abcdef`;
    await form.getByLabel("Name").fill("team channel");
    await form.getByLabel("Format").selectOption("generic");
    await form.getByLabel(/^URL/).fill(receiverUrl);
    await form.getByLabel(/^Signing secret/).fill(secret);
    await form.getByLabel("Size regression vs the previous successful build").uncheck();
    await form.getByRole("button", { name: "Add webhook" }).click();
    const webhook = page.getByTestId("webhook");
    await webhook.waitFor({ timeout: 15_000 });
    expect(await webhook.textContent()).toContain("http://127.0.0.1:");
    expect(await page.content()).not.toContain(`secret-path-${unique}`);
    expect(await page.content()).not.toContain(secret);
    const stored = await db.webhook.findFirstOrThrow({ where: { projectId: project.id } });
    expect(stored.events).toEqual(["build.failed", "build.does_not_run", "budget.exceeded"]);

    await webhook.getByRole("button", { name: "Send test" }).click();
    await expect.poll(() => webhook.getByRole("status").textContent(), { timeout: 20_000 }).toMatch(/delivered \(HTTP 200\)/);
    expect(received).toHaveLength(1);
    expect(received[0].url).toBe(`/hook/secret-path-${unique}`);
    expect(JSON.parse(received[0].body)).toMatchObject({ schema: "layerboard.notification/v1", event: "test" });
    await screenshot(page, "project-settings-webhooks");
    expect(errors).toEqual([]);
    await context.close();
  });
});
