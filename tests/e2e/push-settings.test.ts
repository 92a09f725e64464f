// Build on push in a real browser (issue 15): a git project's settings create a push hook and
// show its secret once with the URL to paste into a git host; a push signed with that secret,
// sent over HTTP to the running app, queues a comparison that the deliveries table then lists;
// polling is switched on from the same card. Screenshots: project-settings-push*.png.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { baseUrl, screenshot, signIn, trackConsoleErrors, useBrowser } from "../support/browser";
import { createTestRepo } from "../support/git-repo";

const unique = randomBytes(3).toString("hex");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "lb-e2e-push-"));

afterAll(async () => {
  fs.rmSync(root, { recursive: true, force: true });
  await db.$disconnect();
});

describe("build on push settings", () => {
  const browser = useBrowser();

  it("creates a push hook, shows its secret once, lists the signed push it queued, and starts polling", async () => {
    const repo = createTestRepo(root, `push-e2e-${unique}`);
    const sha = repo.commit("first", { Dockerfile: "FROM layerboard/bookworm-base:local\nCMD [\"true\"]\n" });
    const project = await db.project.create({
      data: { slug: `push-e2e-${unique}`, name: `Push e2e ${unique}`, contextKind: "GIT", gitUrl: repo.url, gitRef: "main", variants: { create: [{ name: "only", position: 0 }] } },
    });

    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.goto(`${baseUrl()}/projects/${project.id}/settings`);
    await page.getByRole("button", { name: "Create push hook" }).click();
    const secretBox = page.getByTestId("push-secret");
    await secretBox.waitFor({ timeout: 15_000 });
    const secret = await page.getByLabel("Push hook secret").inputValue();
    expect(secret).toMatch(/^lbp_[A-Za-z0-9_-]{32}$/);
    const stored = await db.pushHook.findUniqueOrThrow({ where: { projectId: project.id } });
    expect(JSON.stringify(stored)).not.toContain(secret);
    const url = `${baseUrl()}/api/projects/${project.id}/push`;
    await expect.poll(() => page.locator("#push-url").textContent(), { timeout: 10_000 }).toBe(url);
    await screenshot(page, "project-settings-push-created");

    // A GitHub-style push, signed with the secret the page showed, over HTTP to the app.
    const body = JSON.stringify({ ref: "refs/heads/main", after: sha, repository: { default_branch: "main" } });
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` },
      body,
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const { push } = (await response.json()) as { push: { comparisonId: string } };
    expect((await db.comparison.findUniqueOrThrow({ where: { id: push.comparisonId } })).contextRevision).toBe(sha);

    const poll = page.getByTestId("push-poll");
    await poll.getByLabel(/^Every/).fill("60");
    await poll.getByRole("button", { name: "Start polling" }).click();
    await expect.poll(async () => (await db.pushPoll.findUnique({ where: { projectId: project.id } }))?.intervalSeconds, { timeout: 15_000 }).toBe(60);

    // Reloaded: the secret is gone from the page, the delivery is listed with what it queued.
    await page.goto(`${baseUrl()}/projects/${project.id}/settings`);
    expect(await page.content()).not.toContain(secret);
    const row = page.getByTestId("push-delivery").first();
    expect(await row.textContent()).toContain(sha.slice(0, 12));
    expect(await row.textContent()).toMatch(/queued.*comparison of 1 variant queued/);
    expect(await row.getByRole("link", { name: "open comparison" }).getAttribute("href")).toBe(`/compare?comparison=${push.comparisonId}`);
    await expect.poll(() => page.getByRole("button", { name: "Save polling" }).count()).toBe(1);
    await screenshot(page, "project-settings-push");
    expect(errors).toEqual([]);
    await context.close();
  });
});
