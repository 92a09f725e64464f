import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { db } from "@/lib/db";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const lineCount = async (page: Page) => Number((await page.getByTestId("log-pane").getAttribute("data-line-count")) ?? 0);
const liveStatus = (page: Page) => page.getByTestId("build-live").getAttribute("data-status");

describe("build page", () => {
  const browser = useBrowser();
  afterAll(() => db.$disconnect());

  it("streams the log live, then shows the layers sortable by size", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);

    const { variantId } = await page.evaluate(async () => {
      const { projects } = (await (await fetch("/api/projects")).json()) as { projects: { variants: { id: string; name: string }[] }[] };
      return { variantId: projects.flatMap((p) => p.variants).find((v) => v.name === "multi-stage")!.id };
    });
    // Uncached, so the build runs long enough (apt-get inside the build) to watch it live.
    await db.variant.update({ where: { id: variantId }, data: { noCache: true } });
    const created = await page.evaluate(async (id) => {
      const response = await fetch("/api/builds", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ variantId: id }) });
      return { status: response.status, body: (await response.json()) as { build: { id: string } } };
    }, variantId);
    expect(created.status).toBe(201);
    const buildId = created.body.build.id;

    await page.goto(`${baseUrl()}/builds/${buildId}`);
    await page.getByTestId("log-pane").waitFor();

    // Line counts seen while the page says RUNNING: they must grow without a reload.
    const runningCounts: number[] = [];
    let screenshotTaken = false;
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const status = await liveStatus(page);
      if (status === "RUNNING") {
        runningCounts.push(await lineCount(page));
        if (!screenshotTaken && runningCounts.some((c) => c > 0) && new Set(runningCounts).size > 1) {
          await screenshot(page, "build-running");
          screenshotTaken = true;
        }
      }
      if (status && !["QUEUED", "RUNNING"].includes(status)) break;
      await page.waitForTimeout(500);
    }
    expect(runningCounts.length).toBeGreaterThan(1);
    expect(runningCounts[runningCounts.length - 1]).toBeGreaterThan(runningCounts[0]);
    expect(screenshotTaken).toBe(true);

    // The end event refreshes the server-rendered sections.
    await page.getByTestId("layer-table").first().waitFor({ timeout: 60_000 });
    expect(await liveStatus(page)).toBe("SUCCEEDED");
    expect(await page.getByTestId("smoke-result").getAttribute("data-runs")).toBe("true");

    // Every log line once, even across the SSE reconnects a long build may see.
    const seqs = await page.locator("[data-testid=log-pane] [data-seq]").evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute("data-seq"))));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.length).toBe(await lineCount(page));

    const table = page.getByTestId("layer-table").first();
    await table.getByRole("button", { name: /^Size/ }).click();
    expect(await table.locator("th[aria-sort=descending]").textContent()).toMatch(/Size/);
    const sizes = await table.locator("td[data-size]").evaluateAll((cells) => cells.map((c) => Number(c.getAttribute("data-size"))));
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));

    await table.getByRole("button", { name: /^Size/ }).click();
    const ascending = await table.locator("td[data-size]").evaluateAll((cells) => cells.map((c) => Number(c.getAttribute("data-size"))));
    expect(ascending).toEqual([...sizes].reverse().sort((a, b) => a - b));

    await screenshot(page, "build-done");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows log lines and errors that look like HTML as text", async () => {
    const variant = await db.variant.findFirstOrThrow({ where: { name: "multi-stage" } });
    const build = await db.build.create({
      data: {
        projectId: variant.projectId,
        variantId: variant.id,
        status: "FAILED",
        startedAt: new Date(Date.now() - 5000),
        finishedAt: new Date(),
        durationMs: 5000,
        errorCode: "BUILD_FAILED",
        error: 'step failed: <img src=x onerror="window.__lbInjected=1">',
        logLines: 3,
        logTruncated: true,
      },
    });
    await db.logLine.createMany({
      data: [
        { buildId: build.id, seq: 1, stream: "system", text: "[layerboard] building" },
        { buildId: build.id, seq: 2, stream: "stdout", text: "<script>window.__lbInjected = 2</script>" },
        { buildId: build.id, seq: 3, stream: "stderr", text: "\u001b[31mred <b>error</b>\u001b[0m plain" },
      ],
    });

    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.goto(`${baseUrl()}/builds/${build.id}`);
    await expect.poll(() => lineCount(page), { timeout: 30_000 }).toBe(3);

    const pane = page.getByTestId("log-pane");
    expect(await pane.getByText("<script>window.__lbInjected = 2</script>").count()).toBe(1);
    expect(await pane.locator("script, b").count()).toBe(0);
    const red = pane.locator("[data-seq='3'] span[style]", { hasText: "red <b>error</b>" });
    expect(await red.evaluate((node) => getComputedStyle(node).color)).toBe("rgb(248, 113, 113)");
    expect(await page.getByTestId("log-truncated").isVisible()).toBe(true);

    const alert = page.getByTestId("build-error");
    expect(await alert.textContent()).toContain('<img src=x onerror="window.__lbInjected=1">');
    expect(await alert.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __lbInjected?: unknown }).__lbInjected)).toBeUndefined();
    // Finished builds offer no cancel.
    expect(await page.getByRole("button", { name: "Cancel build" }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
