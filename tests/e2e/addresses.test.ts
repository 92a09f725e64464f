// The production server works at any address it is reached at, not only localhost (the dev
// server hydrates only there): opened at 127.0.0.1 and at another host name (Chromium maps
// layerboard.test to 127.0.0.1), the pages hydrate — a running build's log streams in and
// the project's size chart draws its lines.
import { afterAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { db } from "@/lib/db";
import { EXAMPLE_PROJECT_SLUG } from "@/lib/data/seed";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const HOST_NAME = "layerboard.test";
const VARIANT = "multi-stage";
// Up to two example builds, one of them uncached, on two cores.
const BUILDS_TIMEOUT_MS = 10 * 60_000;

const renderedLines = (page: Page) => page.locator("[data-testid=log-pane] [data-seq]").count();
const liveStatus = (page: Page) => page.getByTestId("build-live").getAttribute("data-status");

const waitForBuild = async (buildId: string) => {
  const deadline = Date.now() + BUILDS_TIMEOUT_MS;
  for (;;) {
    const { status } = await db.build.findUniqueOrThrow({ where: { id: buildId }, select: { status: true } });
    if (!["QUEUED", "RUNNING"].includes(status)) return status;
    if (Date.now() > deadline) throw new Error(`build ${buildId} still ${status} after ${BUILDS_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
};

const startBuild = async (page: Page, variantId: string) => {
  const created = await page.evaluate(async (id) => {
    const response = await fetch("/api/builds", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ variantId: id }) });
    return { status: response.status, body: (await response.json()) as { build: { id: string } } };
  }, variantId);
  expect(created.status).toBe(201);
  return created.body.build.id;
};

describe("the dashboard at addresses other than localhost", () => {
  const browser = useBrowser([`--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1`]);
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await db.variant.updateMany({ where: { name: VARIANT, project: { slug: EXAMPLE_PROJECT_SLUG } }, data: { noCache: false } });
    await db.$disconnect();
  });

  it(
    "hydrates at 127.0.0.1 and at another host name: a running build's log streams and the size chart draws lines",
    async () => {
      const numeric = new URL(baseUrl());
      expect(numeric.hostname).toBe("127.0.0.1");
      const origins = [numeric.origin, `http://${HOST_NAME}:${numeric.port}`];

      // One signed-in page per address (the session cookie belongs to the host).
      const pages: { origin: string; page: Page; errors: string[] }[] = [];
      for (const origin of origins) {
        const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
        contexts.push(context);
        const page = await signIn(context, undefined, undefined, origin);
        expect(new URL(page.url()).origin).toBe(origin);
        pages.push({ origin, page, errors: trackConsoleErrors(page) });
      }

      const variant = await db.variant.findFirstOrThrow({ where: { name: VARIANT, project: { slug: EXAMPLE_PROJECT_SLUG } } });
      // A first build (cached when the engine has built the example before) gives the chart a
      // second point, so each address must draw a line segment, not a lone dot.
      expect(await waitForBuild(await startBuild(pages[0].page, variant.id))).toBe("SUCCEEDED");

      // Uncached, so the build runs long enough (apt-get inside) to watch its log arrive live.
      await db.variant.update({ where: { id: variant.id }, data: { noCache: true } });
      const buildId = await startBuild(pages[1].page, variant.id);
      await Promise.all(
        pages.map(async ({ origin, page }) => {
          await page.goto(`${origin}/builds/${buildId}`);
          await page.getByTestId("log-pane").waitFor();
          // Lines rendered while the build runs, then more without a reload: the client bundle
          // hydrated and the SSE stream reached this address.
          await expect.poll(async () => (await liveStatus(page)) === "RUNNING" && (await renderedLines(page)) > 0, { timeout: BUILDS_TIMEOUT_MS }).toBe(true);
          const first = await renderedLines(page);
          await expect.poll(() => renderedLines(page), { timeout: BUILDS_TIMEOUT_MS }).toBeGreaterThan(first);
        }),
      );
      await screenshot(pages[1].page, "address-host-name-build-running");
      expect(await waitForBuild(buildId)).toBe("SUCCEEDED");
      await db.variant.update({ where: { id: variant.id }, data: { noCache: false } });

      for (const { origin, page, errors } of pages) {
        await page.goto(`${origin}/projects/${EXAMPLE_PROJECT_SLUG}`);
        const sizeChart = page.getByTestId("size-history-chart");
        await expect.poll(() => sizeChart.locator(".recharts-line").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
        // A drawn segment ("M x,y L x,y"), which only the client (Recharts measures the page) renders.
        const paths = await sizeChart.locator("path.recharts-line-curve").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("d") ?? ""));
        expect(paths.some((d) => /^M[^L]+L/.test(d))).toBe(true);
        await screenshot(page, `address-${new URL(origin).hostname}-project`);
        expect(errors).toEqual([]);
      }
    },
    2 * BUILDS_TIMEOUT_MS + 5 * 60_000,
  );
});
