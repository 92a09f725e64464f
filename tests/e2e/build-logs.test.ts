// Issue 13 items 3–5 in Chromium: the log grouped by step with search (count, next/previous)
// and `#L…` permalinks, a step in the timeline jumping to its lines, the phases outside
// BuildKit and a builder-pattern build's two images in the timeline and the progress bar, a
// failed build opened at its failing step above the share panel, a queued build's place in
// the queue with an empty bar, and the 390 px page keeping size and runs in view.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { db } from "@/lib/db";
import { EXAMPLE_PROJECT_SLUG } from "@/lib/data/seed";
import { parseBuildStream } from "@/lib/docker/build-stream";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const BUILD_TIMEOUT_MS = 10 * 60_000;
const liveStatus = (page: Page) => page.getByTestId("build-live").getAttribute("data-status");

// Whether the element's box lies inside the log pane's visible area (the pane scrolls on its own).
const isInPaneView = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const pane = document.querySelector("[data-testid=log-pane]");
    const element = pane?.querySelector(sel);
    if (!pane || !element) return false;
    const a = pane.getBoundingClientRect();
    const b = element.getBoundingClientRect();
    return b.top >= a.top - 1 && b.bottom <= a.bottom + 1;
  }, selector);

describe("build logs, phases and progress", () => {
  const browser = useBrowser();
  const created: string[] = [];
  afterAll(async () => {
    // Seeded rows only: a queued build left behind would count in other tests' overviews.
    await db.build.updateMany({ where: { id: { in: created }, status: "QUEUED" }, data: { status: "CANCELLED", finishedAt: new Date() } });
    await db.$disconnect();
  });

  it("groups a real builder-pattern build's log by step, searches it, links a line and shows where the time went", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    const variant = await db.variant.findFirstOrThrow({ where: { name: "builder pattern", project: { slug: EXAMPLE_PROJECT_SLUG } } });
    const buildId = await page.evaluate(async (id) => {
      const response = await fetch("/api/builds", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ variantId: id }) });
      return ((await response.json()) as { build: { id: string } }).build.id;
    }, variant.id);

    await page.goto(`${baseUrl()}/builds/${buildId}`);
    // Two halves from the start: the build image and the runtime image.
    expect(await page.getByTestId("build-progress-fill").count()).toBe(2);
    await expect.poll(() => liveStatus(page), { timeout: BUILD_TIMEOUT_MS, interval: 1000 }).toBe("SUCCEEDED");
    await page.getByTestId("layer-table").first().waitFor({ timeout: 60_000 });
    const stored = await db.logLine.findMany({ where: { buildId }, orderBy: { seq: "asc" } });
    const pane = page.getByTestId("log-pane");
    await expect.poll(() => pane.getAttribute("data-line-count"), { timeout: 30_000 }).toBe(String(stored.length));

    // Phases outside BuildKit, each once, and the steps under their image's engine build.
    for (const phase of ["context", "build-image", "build-analysis", "copy-artifact", "runtime-image", "analysis", "smoke"])
      expect(await page.locator(`[data-testid=timeline-phase][data-phase="${phase}"]`).count()).toBe(1);
    const steps = await db.buildStep.findMany({ where: { buildId } });
    const buildStep = steps.find((s) => s.image === "build" && s.name.includes("RUN"))!;
    expect(await page.locator(`[data-testid=timeline-engine-phase][data-phase=build-image] [data-step="${buildStep.digest}"]`).count()).toBe(1);
    const runtimeStep = steps.find((s) => s.image === "main" && s.name.includes("ADD artifact"))!;
    expect(await page.locator(`[data-testid=timeline-engine-phase][data-phase=runtime-image] [data-step="${runtimeStep.digest}"]`).count()).toBe(1);

    // Every line once (a cached build's steps print nothing: Layerboard's own lines only).
    expect(await pane.locator("[data-seq]").count()).toBe(stored.length);

    // Search: the count, next and previous (wrapping), the current match in view.
    const query = "layerboard";
    const matches = stored.filter((l) => l.text.toLowerCase().includes(query)).map((l) => l.seq);
    expect(matches.length).toBeGreaterThan(2);
    await page.getByTestId("log-search").fill("LayerBoard");
    const count = page.getByTestId("log-search-count");
    await expect.poll(() => count.textContent()).toBe(`1 of ${matches.length}`);
    expect(await pane.locator("[data-match]").count()).toBe(matches.length);
    const current = () => pane.locator("[data-current-match]").getAttribute("data-seq");
    expect(await current()).toBe(String(matches[0]));
    await page.getByRole("button", { name: "Next match" }).click();
    expect(await count.textContent()).toBe(`2 of ${matches.length}`);
    expect(await current()).toBe(String(matches[1]));
    await expect.poll(() => isInPaneView(page, `[data-seq="${matches[1]}"]`)).toBe(true);
    await page.getByRole("button", { name: "Previous match" }).click();
    await page.getByRole("button", { name: "Previous match" }).click();
    expect(await count.textContent()).toBe(`${matches.length} of ${matches.length}`);
    expect(await current()).toBe(String(matches.at(-1)));
    await page.getByTestId("log-search").press("Enter");
    expect(await count.textContent()).toBe(`1 of ${matches.length}`);
    await screenshot(page, "build-logs-search");
    await page.getByTestId("log-search").fill("no such text anywhere");
    expect(await count.textContent()).toBe("no matches");
    await page.getByTestId("log-search").fill("");

    // The raw log is one click away and holds every stored line.
    const download = page.getByTestId("log-download");
    expect(await download.getAttribute("href")).toBe(`/api/builds/${buildId}/logs`);
    const raw = await page.evaluate(async (href) => (await fetch(href)).text(), (await download.getAttribute("href"))!);
    expect(raw.split("\n").length - 1).toBe(stored.length);

    // A permalink highlights its line and scrolls it into view, opened fresh.
    const target = stored[Math.floor(stored.length / 2)].seq;
    await page.goto(`${baseUrl()}/builds/${buildId}#L${target}`);
    const line = pane.locator(`[data-seq="${target}"]`);
    await expect.poll(() => line.getAttribute("data-highlighted"), { timeout: 30_000 }).toBe("true");
    await expect.poll(() => isInPaneView(page, `[data-seq="${target}"]`)).toBe(true);
    expect(await pane.locator("[data-highlighted]").count()).toBe(1);
    // A click on another line number moves the highlight there.
    const other = stored[1].seq;
    await pane.locator(`[data-seq="${other}"] a`).click();
    await expect.poll(() => pane.locator(`[data-seq="${other}"]`).getAttribute("data-highlighted")).toBe("true");
    expect(new URL(page.url()).hash).toBe(`#L${other}`);
    await page.goto(`${baseUrl()}/builds/${buildId}#L${target}`);
    await expect.poll(() => line.getAttribute("data-highlighted"), { timeout: 30_000 }).toBe("true");
    await screenshot(page, "build-logs-permalink");

    // One meaning per number: the summary's filesystem layers, the table's rows and the chart's own layers.
    const layers = await db.layer.findMany({ where: { buildId, image: "main" } });
    const filesystem = layers.filter((l) => !l.isEmpty);
    const own = filesystem.filter((l) => !l.isFromBase);
    expect(await page.getByTestId("summary-layer-count").textContent()).toBe(`${filesystem.length} (${own.length} own)`);
    const countsLine = await page.getByTestId("layer-counts").first().textContent();
    expect(countsLine).toContain(`${layers.length} history entries: ${filesystem.length} filesystem layers`);
    expect(countsLine).toContain(`${own.length} own`);
    expect(await page.getByTestId("layer-table").first().locator("tbody tr").count()).toBe(layers.length);
    expect(await page.getByTestId("chart-own-layers").first().textContent()).toContain(`${own.length} own filesystem`);
    // The docker-imported base reads as such.
    expect(await page.getByTestId("layer-table").first().getByText("base image (imported)").count()).toBeGreaterThan(0);
    expect(await page.getByText("Imported from -").count()).toBe(0);

    // 390 px: size and runs stay in view at the top of the page.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl()}/builds/${buildId}`);
    const size = page.getByText("Total size");
    await size.waitFor({ state: "visible", timeout: 30_000 });
    expect(await size.isVisible()).toBe(true);
    expect((await size.boundingBox())!.x + (await size.boundingBox())!.width).toBeLessThanOrEqual(390);
    const runs = page.locator("header").getByText("runs", { exact: true });
    await runs.waitFor({ state: "visible", timeout: 30_000 });
    expect(await runs.isVisible()).toBe(true);
    expect((await runs.boundingBox())!.x + (await runs.boundingBox())!.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "build-logs-builder-pattern");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("opens a failed build at its failing step's lines, above the share panel", async () => {
    // The real failing build stream (Docker 20.10, lib/docker/__fixtures__) as the recorder stores it.
    const events = parseBuildStream(fs.readFileSync(path.resolve("lib/docker/__fixtures__/buildkit-failure.jsonl")));
    const steps = new Map<string, { digest: string; name: string; stage: string | null; startedAt: Date | null; completedAt: Date | null; cached: boolean; error: string | null }>();
    const lines: Array<{ seq: number; stream: string; text: string; stepDigest: string | null }> = [];
    const push = (text: string, stream: string, stepDigest: string | null) => lines.push({ seq: lines.length + 1, stream, text, stepDigest });
    push("[layerboard] building Dockerfile on engine 20.10.24 (buildkit)", "system", null);
    // Enough lines before the failure that the pane has to scroll to it.
    for (let i = 0; i < 40; i++) push(`[layerboard] context file ${i}`, "system", null);
    let error = "build failed";
    for (const event of events) {
      if (event.type === "log") push(event.text, event.stream, event.vertex ?? null);
      else if (event.type === "step") steps.set(event.step.digest, event.step);
      else if (event.type === "error") error = event.message;
    }
    push(`[layerboard] failed: ${error}`, "system", null);
    const variant = await db.variant.findFirstOrThrow({ where: { name: "multi-stage", project: { slug: EXAMPLE_PROJECT_SLUG } } });
    const start = [...steps.values()].find((s) => s.startedAt)!.startedAt!;
    const build = await db.build.create({
      data: {
        projectId: variant.projectId,
        variantId: variant.id,
        status: "FAILED",
        startedAt: new Date(start.getTime() - 1000),
        finishedAt: new Date(start.getTime() + 5000),
        durationMs: 6000,
        errorCode: "BUILD_FAILED",
        error,
        logLines: lines.length,
        stepsTotal: steps.size,
        phases: [
          { name: "context", startedAt: new Date(start.getTime() - 900).toISOString(), finishedAt: new Date(start.getTime() - 100).toISOString() },
          { name: "engine-build", startedAt: new Date(start.getTime() - 100).toISOString(), finishedAt: new Date(start.getTime() + 4800).toISOString() },
        ],
        steps: { create: [...steps.values()].map((step, position) => ({ ...step, position })) },
        logs: { create: lines },
      },
    });
    created.push(build.id);
    const failedStep = [...steps.values()].find((s) => s.error)!;
    const firstFailedLine = lines.find((l) => l.stepDigest === failedStep.digest)!;

    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.goto(`${baseUrl()}/builds/${build.id}`);
    const pane = page.getByTestId("log-pane");
    await expect.poll(() => pane.getAttribute("data-line-count"), { timeout: 30_000 }).toBe(String(lines.length));

    const failedGroup = page.locator(`[data-testid=log-group][data-step="${failedStep.digest}"]`);
    expect(await failedGroup.getAttribute("data-failed")).toBe("true");
    expect(await failedGroup.getAttribute("aria-expanded")).toBe("true");
    // The other steps' groups start closed, as in a CI log.
    const otherSteps = page.locator(`[data-testid=log-group][data-step]:not([data-failed])`);
    expect(await otherSteps.count()).toBeGreaterThan(0);
    expect(await otherSteps.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-expanded")))).toEqual(Array(await otherSteps.count()).fill("false"));
    await expect.poll(() => isInPaneView(page, `[data-seq="${firstFailedLine.seq}"]`), { timeout: 10_000 }).toBe(true);
    expect(await isInPaneView(page, `[data-seq="1"]`)).toBe(false);

    // A step in the timeline jumps to its lines, opening its closed group.
    const before = [...steps.values()].find((s) => s.name.includes("before failing"))!;
    const beforeLine = lines.find((l) => l.stepDigest === before.digest)!;
    const beforeGroup = page.locator(`[data-testid=log-group][data-step="${before.digest}"]`);
    expect(await beforeGroup.getAttribute("aria-expanded")).toBe("false");
    expect(await pane.locator(`[data-seq="${beforeLine.seq}"]`).count()).toBe(0);
    await pane.evaluate((node) => (node.scrollTop = 0));
    await page.locator(`[data-step="${before.digest}"] [data-testid=timeline-step-link]`).click();
    await expect.poll(() => beforeGroup.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => isInPaneView(page, `[data-seq="${beforeLine.seq}"]`)).toBe(true);
    // Its header closes it again.
    await beforeGroup.click();
    expect(await pane.locator(`[data-seq="${beforeLine.seq}"]`).count()).toBe(0);

    // The log comes before the share panel on a failed build.
    const logTop = (await page.getByTestId("build-live").boundingBox())!.y;
    const shareTop = (await page.getByTestId("share-panel").boundingBox())!.y;
    expect(logTop).toBeLessThan(shareTop);
    await screenshot(page, "build-logs-failed");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a queued build's place in the queue and an empty bar", async () => {
    const variant = await db.variant.findFirstOrThrow({ where: { name: "multi-stage", project: { slug: EXAMPLE_PROJECT_SLUG } } });
    // Recorded queued without a job (nothing enqueued), so no worker takes them: they stay queued.
    const now = Date.now();
    const ahead = await db.build.create({ data: { projectId: variant.projectId, variantId: variant.id, status: "QUEUED", queuedAt: new Date(now - 2000) } });
    const behind = await db.build.create({ data: { projectId: variant.projectId, variantId: variant.id, status: "QUEUED", queuedAt: new Date(now - 1000) } });
    created.push(ahead.id, behind.id);
    const before = await db.build.count({ where: { status: "QUEUED", queuedAt: { lt: ahead.queuedAt } } });

    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.goto(`${baseUrl()}/builds/${behind.id}`);
    const progress = page.getByTestId("build-progress");
    expect(await progress.getAttribute("data-queue-position")).toBe(String(before + 2));
    expect(await progress.textContent()).toContain(`number ${before + 2} in the queue`);
    expect(await page.getByTestId("build-progress-fill").evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).style.width))).toEqual(["0%"]);
    expect(await page.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("0");
    await screenshot(page, "build-logs-queued");

    // The build ahead leaves the queue: the live state moves this one up without a reload.
    await db.build.update({ where: { id: ahead.id }, data: { status: "CANCELLED", finishedAt: new Date() } });
    await expect.poll(() => progress.getAttribute("data-queue-position"), { timeout: 15_000 }).toBe(String(before + 1));
    expect(await progress.textContent()).toContain(before === 0 ? "next in the queue" : `number ${before + 1} in the queue`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
