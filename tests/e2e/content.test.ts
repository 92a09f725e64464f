// Image contents in the browser, for real builds of the example's single-stage and
// multi-stage variants: the analysis runs after each build, then the build page shows the
// treemap (click to zoom), the file browser (its search finds /usr/include in single-stage
// only), packages and waste; the compare page shows the content diff against the baseline and
// the package matrix; `layerboard diff` prints the same diff.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/data/api-tokens";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const PROJECT = "pyapp-example";
const BUILD_TIMEOUT_MS = 15 * 60_000;
const CLI = path.resolve("scripts", "cli.mjs");

type CliResult = { code: number | null; stdout: string; stderr: string };

const runCli = (args: string[]) =>
  new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LAYERBOARD_URL: "", LAYERBOARD_TOKEN: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

const queueBuild = async (page: Page, variantName: string) =>
  page.evaluate(
    async ({ slug, name }) => {
      const { project } = (await (await fetch(`/api/projects/${slug}`)).json()) as { project: { variants: { id: string; name: string }[] } };
      const variantId = project.variants.find((v) => v.name === name)!.id;
      const response = await fetch("/api/builds", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ variantId }) });
      return ((await response.json()) as { build: { id: string } }).build.id;
    },
    { slug: PROJECT, name: variantName },
  );

// Builds run one at a time on the e2e worker, then the content analysis of each.
const waitForContent = async (page: Page, buildId: string) => {
  await page.goto(`${baseUrl()}/builds/${buildId}`);
  await expect
    .poll(
      async () => {
        const status = await page.getByTestId("content-section").getAttribute("data-status").catch(() => null);
        if (status === "SUCCEEDED" || status === "FAILED") return status;
        // Until the build ends the page has no Contents section; it then polls by itself.
        if (!status) await page.reload();
        return status;
      },
      { timeout: BUILD_TIMEOUT_MS, interval: 5_000 },
    )
    .toBe("SUCCEEDED");
};

const searchFiles = async (page: Page, text: string) => {
  const browser = page.getByTestId("file-browser");
  await browser.getByLabel("Search paths").fill(text);
  // The first API read of a filesystem merges it from its stored layers: allow it time.
  await expect.poll(() => browser.getAttribute("data-loaded-query"), { timeout: 60_000 }).toBe(text);
  return Number(await browser.getAttribute("data-total"));
};

describe("image contents", () => {
  const browser = useBrowser();
  let viewerToken: string;
  let singleId: string;
  let multiId: string;

  beforeAll(async () => {
    const admin = await db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    viewerToken = (await createApiToken({ name: "e2e-content-viewer", role: "VIEWER", createdById: admin.id })).token;
  });
  afterAll(() => db.$disconnect());

  it(
    "shows the treemap, file browser, packages and waste of a real single-stage build; its search finds /usr/include",
    async () => {
      const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signIn(context);
      const errors = trackConsoleErrors(page);
      singleId = await queueBuild(page, "single-stage");
      multiId = await queueBuild(page, "multi-stage");

      await waitForContent(page, singleId);
      // Treemap with its table beside it; a click on a directory zooms in, the breadcrumb zooms out.
      const treemap = page.getByTestId("content-treemap");
      await expect.poll(() => treemap.locator(".recharts-treemap-depth-1 rect, [data-testid=content-treemap-chart] rect").count()).toBeGreaterThan(2);
      expect(await page.getByTestId("content-tree-row").count()).toBeGreaterThan(2);
      await page.locator('[data-testid=content-tree-row][data-path="/usr"] button').click();
      // The first API read of a filesystem merges it from its stored layers: allow it time.
      await expect.poll(() => treemap.getAttribute("data-path"), { timeout: 60_000 }).toBe("/usr");
      await expect.poll(() => page.locator('[data-testid=content-tree-row][data-path="/usr/include"]').count()).toBe(1);
      await treemap.getByRole("button", { name: "/", exact: true }).click();
      await expect.poll(() => treemap.getAttribute("data-path")).toBe("/");

      // File browser: the whole tree, virtualised (far fewer rows in the DOM than entries).
      const fileBrowser = page.getByTestId("file-browser");
      await expect.poll(async () => Number((await fileBrowser.getAttribute("data-total")) ?? 0), { timeout: 60_000 }).toBeGreaterThan(1000);
      expect(await page.getByTestId("file-row").count()).toBeLessThan(200);
      const found = await searchFiles(page, "/usr/include");
      expect(found).toBeGreaterThan(10);
      expect(await searchFiles(page, "/usr/include/")).toBe(found - 1);
      await searchFiles(page, "/usr/include");
      const paths = await page.getByTestId("file-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-path")));
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect(p).toContain("/usr/include");

      // Packages: the compiler toolchain is there, with exact bytes; the waste list beside.
      const gcc = page.locator('[data-testid=package-row][data-package="deb:gcc-12"]');
      expect(await gcc.count()).toBe(1);
      expect(Number(await gcc.getAttribute("data-bytes"))).toBeGreaterThan(1_000_000);
      expect(await page.getByTestId("waste-list").count()).toBe(1);
      await screenshot(page, "content-single-stage");
      expect(errors).toEqual([]);
      await context.close();
    },
    BUILD_TIMEOUT_MS * 2,
  );

  it(
    "finds no /usr/include in the multi-stage build",
    async () => {
      const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signIn(context);
      const errors = trackConsoleErrors(page);
      await waitForContent(page, multiId);
      // The Debian base image ships /usr/include as an empty directory: that is all there is.
      expect(await searchFiles(page, "/usr/include")).toBe(1);
      const only = page.getByTestId("file-row");
      expect(await only.count()).toBe(1);
      expect(await only.getAttribute("data-path")).toBe("/usr/include");
      expect(await only.getAttribute("data-kind")).toBe("dir");
      await expect.poll(() => only.textContent()).toMatch(/0 B.*base/);
      expect(await searchFiles(page, "/usr/include/")).toBe(0);
      await page.getByTestId("file-browser-empty").waitFor();
      expect(await searchFiles(page, "/opt/venv")).toBeGreaterThan(0);
      // Every row says whether its layer added or modified it.
      const changes = await page.getByTestId("file-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-change")));
      expect(changes.length).toBeGreaterThan(0);
      for (const change of changes) expect(["added", "modified"]).toContain(change);
      await screenshot(page, "content-multi-stage");
      // "Show deleted": only paths a higher layer deleted, each with the layer that deleted it.
      const fileBrowser = page.getByTestId("file-browser");
      await searchFiles(page, "");
      await fileBrowser.getByTestId("file-browser-show-deleted").check();
      await expect.poll(() => fileBrowser.getAttribute("data-loaded-show"), { timeout: 60_000 }).toBe("deleted");
      const deleted = await page.getByTestId("file-row").evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-change"), r.getAttribute("data-layer")]));
      expect(Number(await fileBrowser.getAttribute("data-total"))).toBeGreaterThanOrEqual(deleted.length);
      for (const [change, layer] of deleted) {
        expect(change).toBe("deleted");
        expect(Number(layer)).toBeGreaterThanOrEqual(0);
      }
      await screenshot(page, "content-multi-stage-deleted");
      expect(errors).toEqual([]);
      await context.close();
    },
    BUILD_TIMEOUT_MS,
  );

  it("shows the content diff against the baseline and the package matrix on the compare page", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.goto(`${baseUrl()}/compare?builds=${singleId},${multiId}`);
    const diff = page.getByTestId("comparison-content-diff").first();
    await diff.waitFor();
    expect(await diff.getAttribute("data-build")).toBe(multiId);
    const view = diff.getByTestId("content-diff");
    await view.waitFor();
    // multi-stage against single-stage (the baseline): far fewer bytes, headers removed.
    expect(Number(await view.getAttribute("data-delta"))).toBeLessThan(-50_000_000);
    expect(Number(await view.getAttribute("data-removed"))).toBeGreaterThan(100);
    const include = view.locator('[data-testid=content-diff-group][data-key="/usr/include"]');
    expect(await include.count()).toBe(1);
    expect(Number(await include.getAttribute("data-delta"))).toBeLessThan(0);
    expect(await view.locator('[data-testid=content-diff-package][data-package="deb:gcc-12"]').getAttribute("data-change")).toBe("removed");
    expect(await page.getByTestId("package-matrix").count()).toBe(1);
    expect(await page.locator('[data-testid=package-matrix-row][data-package="deb:gcc-12"]').getAttribute("data-differs")).toBe("true");
    await screenshot(page, "content-compare");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("prints the same diff from the CLI, and fails clearly for an unknown build", async () => {
    const result = await runCli(["diff", singleId, multiId, "--url", baseUrl(), "--token", viewerToken]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Content diff: ${multiId} against ${singleId}`));
    expect(result.stdout).toContain("By directory (depth 2):");
    expect(result.stdout).toMatch(/-\d+(\.\d)? [kMG]?B\s+\/usr\/include/);
    const unknown = await runCli(["diff", singleId, "nonexistent", "--url", baseUrl(), "--token", viewerToken]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/HTTP 404: build nonexistent not found/);
  });
});
