// Issue 15 in Chromium: a git project (a local repository with a scripted history of ten
// commits) backfilled from the project page; the progress card while it runs, then the
// commit x-axis with its tooltip, the regression markers and the regressions list.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getLauncherEnv } from "@/lib/env";
import { createGitProject, SCRIPTED_SUBJECTS as S, writeScriptedRepo } from "@/lib/harness/scripted-repo";
import { useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const BACKFILL_TIMEOUT_MS = 10 * 60_000;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "lb-h15-backfill-e2e-"));
const repo = writeScriptedRepo(path.join(root, "repo"), getLauncherEnv().LAYERBOARD_BASE_IMAGE);

describe("backfill, commits on the chart, regressions", () => {
  const browser = useBrowser();
  afterAll(async () => {
    fs.rmSync(root, { recursive: true, force: true });
    // The images this test's builds tagged (layerboard/lb-h15-backfill-e2e-…), nothing else.
    const tags = (await db.build.findMany({ where: { project: { slug: { startsWith: "lb-h15-backfill-e2e-" } } }, select: { imageTag: true } })).map((b) => b.imageTag).filter(Boolean) as string[];
    for (const tag of tags) {
      try {
        execFileSync("docker", ["rmi", "-f", tag], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
    await db.$disconnect();
  });

  it(
    "backfills from the project page, then draws commits on the x-axis with the regressions marked and listed",
    async () => {
      const project = await createGitProject(db, `lb-h15-backfill-e2e-${path.basename(root).slice(-6).toLowerCase()}`, repo.url, [
        { name: "app", buildArgs: { FLAVOR: "e2e" }, regressionThresholdPct: 2 },
      ]);
      const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signIn(context);
      const errors = trackConsoleErrors(page);
      // The form, then the progress card while the backfill runs. On this shared 2-core machine a
      // first render can hit the 5 s database connect limit (the page then says so): load it again.
      const form = page.getByTestId("backfill-form");
      for (let attempt = 1; ; attempt++) {
        await page.goto(new URL(`/projects/${project.id}`, page.url()).toString());
        const shown = await form.waitFor({ timeout: 20_000 }).then(() => true, () => false);
        if (shown) break;
        if (attempt === 3) throw new Error(`the project page showed no backfill form: ${(await page.locator("main").textContent())?.slice(0, 300)}`);
      }
      await form.getByLabel("Commits").fill("10");
      await form.getByLabel("Branch").fill("main");
      await form.getByRole("button", { name: "Backfill last N commits" }).click();
      const card = page.getByTestId("backfill-card");
      await expect.poll(() => card.getAttribute("data-status"), { timeout: 60_000 }).toBe("RUNNING");
      await expect.poll(() => page.getByTestId("backfill-counts").textContent(), { timeout: 60_000 }).toMatch(/of 10 done/);
      await expect.poll(async () => Number((await page.getByRole("progressbar", { name: "Backfill progress" }).getAttribute("aria-valuenow")) ?? 0), { timeout: BACKFILL_TIMEOUT_MS, interval: 1000 }).toBeGreaterThan(0);
      await screenshot(page, "backfill-progress");

      // The card refreshes the page until the backfill is done; the missing Dockerfile fails one item.
      await expect.poll(() => card.getAttribute("data-status"), { timeout: BACKFILL_TIMEOUT_MS, interval: 2000 }).toBe("DONE");
      expect(await page.getByTestId("backfill-counts").textContent()).toContain("10 of 10 done (9 built, 0 skipped)");
      expect(await page.getByTestId("backfill-failures").textContent()).toContain("Dockerfile not found: Dockerfile");

      // Commits on the x-axis: one point per commit, the two regressions marked, the fix ringed.
      await Promise.all([page.waitForURL(/axis=commits/), page.getByTestId("history-axis").getByRole("link", { name: "By commit" }).click()]);
      const chart = page.getByTestId("commit-history-chart");
      await expect.poll(() => chart.locator(".commit-dot").count(), { timeout: 30_000 }).toBe(10);
      const marked = await chart.locator(".commit-dot[data-regression]").evaluateAll((dots) => dots.map((d) => [d.getAttribute("data-sha"), d.getAttribute("data-regression")]));
      expect(marked).toEqual([
        [repo.bySubject(S.large), "size"],
        [repo.bySubject(S.breakStart), "stopped-running"],
      ]);
      expect(await chart.locator(".commit-dot[data-resolves]").evaluateAll((dots) => dots.map((d) => d.getAttribute("data-sha")))).toEqual([repo.bySubject(S.fixStart)]);

      // The tooltip: short SHA, subject, author and date.
      await chart.locator(`.commit-dot[data-sha="${repo.bySubject(S.large)}"] circle`).first().hover({ force: true });
      const tooltip = page.getByTestId("commit-tooltip");
      await expect.poll(() => tooltip.textContent()).toContain(repo.bySubject(S.large).slice(0, 7));
      const tip = (await tooltip.textContent()) ?? "";
      expect(tip).toContain(S.large);
      expect(tip).toContain("Test Author");
      expect(tip).toContain("1 Nov 2026");
      expect(tip).toContain("regression");

      // The regressions list, newest first: the broken start (resolved), the large file (open).
      const list = page.getByTestId("regressions-list");
      const items = await list.locator("li").evaluateAll((lis) => lis.map((li) => [li.getAttribute("data-kind"), li.getAttribute("data-resolved"), li.textContent ?? ""]));
      expect(items.map(([kind, resolved]) => [kind, resolved])).toEqual([
        ["stopped-running", "yes"],
        ["size", "no"],
      ]);
      expect(items[1][2]).toContain(`+5.2 MB at ${repo.bySubject(S.large).slice(0, 7)}: ${S.large} — layer \`COPY app/ /srv/app/`);
      expect(items[0][2]).toContain(`resolved at ${repo.bySubject(S.fixStart).slice(0, 7)}`);
      await screenshot(page, "backfill-commits");

      // The layer diff link opens the compare page with the diff against the parent's build.
      await Promise.all([page.waitForURL(/\/compare\?builds=.*&diff=/), list.locator('li[data-kind="size"]').getByRole("link", { name: /layer diff against/ }).click()]);
      await expect.poll(() => page.getByTestId("layer-diff-row").count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    },
    BACKFILL_TIMEOUT_MS + 120_000,
  );
});
