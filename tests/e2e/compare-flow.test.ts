// The acceptance flow: overview → project → "Compare all variants" → the compare page
// while the four example builds run → sizes, does-not-run flag, layer diff → the
// project's size history with one series per variant.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const EXAMPLE_PROJECT = "Python C-extension example";
// Four uncached builds, one at a time, on two cores.
const BUILDS_TIMEOUT_MS = 15 * 60_000;

const rowSizes = async (page: Page) =>
  page.getByTestId("comparison-row").evaluateAll((rows) =>
    rows.map((row) => ({
      variant: row.getAttribute("data-variant"),
      strategy: row.getAttribute("data-strategy"),
      size: Number(row.getAttribute("data-size")),
      doesNotRun: row.querySelector('[data-testid="does-not-run"]') !== null,
      smokeError: row.querySelector('[data-testid="smoke-error"]')?.textContent ?? null,
    })),
  );

describe("compare all variants", () => {
  const browser = useBrowser();

  it(
    "builds every variant, shows single-stage largest and venv --copies not running, diffs layers and charts the history",
    async () => {
      const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signIn(context);
      const errors = trackConsoleErrors(page);

      // Overview → project
      await page.getByRole("link", { name: EXAMPLE_PROJECT }).first().waitFor();
      await screenshot(page, "overview");
      await Promise.all([page.waitForURL(/\/projects\/[^/?]+$/), page.getByRole("link", { name: EXAMPLE_PROJECT }).first().click()]);
      const projectUrl = page.url();
      await page.getByTestId("variant-row").first().waitFor();
      expect(await page.getByTestId("variant-row").count()).toBe(4);

      // Compare all variants → the compare page
      await Promise.all([page.waitForURL(/\/compare\?comparison=/, { timeout: 60_000 }), page.getByRole("button", { name: "Compare all variants" }).click()]);
      await page.getByTestId("comparison-row").first().waitFor();
      expect(await page.getByTestId("comparison-row").count()).toBe(4);

      // The page refreshes itself until every build has finished.
      await expect
        .poll(() => page.getByTestId("comparison-progress").getAttribute("data-done"), { timeout: BUILDS_TIMEOUT_MS, interval: 5_000 })
        .toBe("true");
      await page.waitForTimeout(500);

      const rows = await rowSizes(page);
      expect(rows).toHaveLength(4);
      expect(await page.getByTestId("comparison-row").locator('[data-status="SUCCEEDED"]').count()).toBe(4);
      const single = rows.find((r) => r.strategy === "SINGLE_STAGE")!;
      const copies = rows.find((r) => r.strategy === "VENV_COPIES")!;
      for (const other of rows.filter((r) => r !== single)) expect(single.size).toBeGreaterThan(other.size);
      expect(copies.doesNotRun).toBe(true);
      expect(copies.smokeError).toMatch(/cannot open shared object file|error/i);
      expect(rows.filter((r) => r.doesNotRun)).toHaveLength(1);
      await expect.poll(() => page.getByTestId("size-comparison-chart").locator(".recharts-bar-rectangle").count()).toBeGreaterThanOrEqual(8);
      await screenshot(page, "compare");

      // Layer diff between two chosen builds: multi-stage (A) against venv --copies (B).
      const picker = page.getByTestId("diff-picker");
      const idOf = async (strategy: string) =>
        (await page.locator(`[data-testid="comparison-row"][data-strategy="${strategy}"] a[href^="/builds/"]`).first().getAttribute("href"))!.split("/").pop()!;
      const multiId = await idOf("MULTI_STAGE");
      const copiesId = await idOf("VENV_COPIES");
      await picker.getByLabel("Build A").selectOption(multiId);
      await picker.getByLabel("Build B").selectOption(copiesId);
      await Promise.all([page.waitForURL(new RegExp(`diff=${multiId},${copiesId}`)), picker.getByRole("button", { name: "Show diff" }).click()]);
      await expect.poll(() => page.getByTestId("layer-diff-summary").textContent()).toContain("venv --copies");
      const diffRows = page.getByTestId("layer-diff-row");
      expect(await diffRows.count()).toBeGreaterThan(1);
      // Both builds share the base image layer.
      expect(await page.locator('[data-testid="layer-diff-row"][data-kind="unchanged"]').count()).toBeGreaterThanOrEqual(1);

      // Project page: one size series per variant.
      await page.goto(projectUrl);
      await page.getByTestId("variant-row").first().waitFor();
      const sizeChart = page.getByTestId("size-history-chart");
      await expect.poll(() => sizeChart.locator(".recharts-line").count()).toBe(4);
      expect(await sizeChart.locator(".recharts-legend-item").count()).toBe(4);
      expect(await sizeChart.locator('.history-dot[data-flag="does-not-run"]').count()).toBeGreaterThanOrEqual(1);
      expect(await page.getByTestId("duration-history-chart").locator(".recharts-line").count()).toBe(4);
      await screenshot(page, "project");

      expect(errors).toEqual([]);
      await context.close();
    },
    BUILDS_TIMEOUT_MS + 5 * 60_000,
  );
});
