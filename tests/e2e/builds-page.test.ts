// The builds page (issue 13): filters and pages in the URL (a reload keeps them, a bad value
// is a message), the project page's link to it, Re-run on a real build (same commit), the
// next step of a failed build, and a revoked share link's branded page.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { db } from "@/lib/db";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const run = randomBytes(3).toString("hex");
const BASE_IMAGE = process.env.LAYERBOARD_BASE_IMAGE ?? "layerboard/bookworm-base:local";
const ids = { project: "", fast: "", slow: "", failed: "", builds: [] as string[] };
const images: string[] = [];
let repo = "";

// Read with expect.poll: a client navigation changes the URL before the streamed page arrives.
const rowIds = (page: Page) => page.getByTestId("build-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-build-id")!));

const waitForStatus = async (id: string, timeoutMs = 300_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const build = await db.build.findUniqueOrThrow({ where: { id } });
    if (["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"].includes(build.status)) return build;
    if (Date.now() > deadline) throw new Error(`build ${id} still ${build.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

describe("builds page", () => {
  const browser = useBrowser();

  beforeAll(async () => {
    // A git project (file://, one commit) so a real build and its re-run are quick.
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "lb-h13-e2e-"));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: repo, encoding: "utf8" }).trim();
    git("init", "--quiet", "--initial-branch=main");
    fs.writeFileSync(path.join(repo, "Dockerfile"), [`FROM ${BASE_IMAGE}`, "COPY hello.txt /hello.txt", 'CMD ["cat", "/hello.txt"]'].join("\n"));
    fs.writeFileSync(path.join(repo, "hello.txt"), `hello ${run}\n`);
    git("add", "-A");
    git("commit", "--quiet", "-m", "hello");
    const project = await db.project.create({
      data: {
        slug: `builds-page-${run}`,
        name: `Builds page ${run}`,
        contextKind: "GIT",
        gitUrl: `file://${repo}`,
        gitRef: "main",
        variants: { create: [{ name: "fast", position: 0 }, { name: "slow", builder: "CLASSIC", position: 1 }] },
      },
      include: { variants: { orderBy: { position: "asc" } } },
    });
    ids.project = project.id;
    [ids.fast, ids.slow] = project.variants.map((v) => v.id);
    // 30 recorded builds, one an hour: more than one page (25).
    const start = Date.parse("2026-11-01T08:00:00Z");
    for (let i = 0; i < 30; i++) {
      const failed = i % 7 === 3;
      const build = await db.build.create({
        data: {
          projectId: ids.project,
          variantId: i % 2 ? ids.slow : ids.fast,
          builder: i % 2 ? "CLASSIC" : "BUILDKIT",
          status: failed ? "FAILED" : "SUCCEEDED",
          queuedAt: new Date(start + i * 3_600_000),
          startedAt: new Date(start + i * 3_600_000 + 1000),
          finishedAt: new Date(start + i * 3_600_000 + 61_000),
          durationMs: 60_000,
          totalSize: failed ? null : BigInt(80_000_000 + i * 1_000_000),
          contextRevision: `${i.toString(16).padStart(2, "0")}${"c0ffee".repeat(6)}00`,
          errorCode: failed ? "BUILD_FAILED" : null,
          error: failed ? 'process "/bin/sh -c pip install ." did not complete successfully: exit code: 1' : null,
          smoke: failed ? undefined : { create: { command: ["app"], runs: i % 5 !== 0, exitCode: i % 5 ? 0 : 127, durationMs: 12, outputHead: i % 5 ? "ok" : "app: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory" } },
          steps: failed
            ? { create: [{ digest: `d-${i}-1`, position: 0, name: `[1/2] FROM ${BASE_IMAGE}` }, { digest: `d-${i}-2`, position: 1, name: "[2/2] RUN pip install .", error: 'process "/bin/sh -c pip install ." did not complete successfully: exit code: 1' }] }
            : undefined,
        },
      });
      ids.builds.push(build.id);
      if (failed) ids.failed = build.id;
    }
  });

  afterAll(async () => {
    for (const image of images) {
      try {
        execFileSync("docker", ["rmi", "-f", image], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
    fs.rmSync(repo, { recursive: true, force: true });
    await db.$disconnect();
  });

  it("lists the project's builds from its page, pages on the server and keeps the page on reload", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.goto(`${baseUrl()}/projects/${ids.project}`);
    await Promise.all([page.waitForURL(/\/builds\?projectId=/), page.getByTestId("all-builds-link").click()]);
    expect(new URL(page.url()).searchParams.get("projectId")).toBe(ids.project);
    const newest = [...ids.builds].reverse();
    await expect.poll(() => rowIds(page), { timeout: 30_000 }).toEqual(newest.slice(0, 25));
    await screenshot(page, "builds-page");

    await Promise.all([page.waitForURL(/cursor=/), page.getByTestId("older-page").click()]);
    await expect.poll(() => rowIds(page), { timeout: 30_000 }).toEqual(newest.slice(25));
    expect(await page.getByTestId("older-page").count()).toBe(0);
    await page.reload();
    await expect.poll(() => rowIds(page), { timeout: 30_000 }).toEqual(newest.slice(25));
    await Promise.all([page.waitForURL((url) => !url.searchParams.has("cursor")), page.getByTestId("newest-page").click()]);
    await expect.poll(() => rowIds(page), { timeout: 30_000 }).toEqual(newest.slice(0, 25));
    expect(errors).toEqual([]);
    await context.close();
  });

  it("filters from the form into the URL, and the filters survive a reload", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    await page.goto(`${baseUrl()}/builds?projectId=${ids.project}`);
    const form = page.getByTestId("build-filters");
    await form.getByLabel("Runs").selectOption("no");
    await form.getByLabel("Builder").selectOption("BUILDKIT");
    await Promise.all([page.waitForURL(/runs=no/), form.getByRole("button", { name: "Apply filters" }).click()]);
    const url = new URL(page.url());
    expect(url.searchParams.get("builder")).toBe("BUILDKIT");
    // BuildKit (even i), succeeded (i % 7 !== 3) and does not run (i % 5 === 0): 0 and 20 (10 failed)
    const expected = [20, 0].map((i) => ids.builds[i]);
    await expect.poll(() => rowIds(page), { timeout: 30_000 }).toEqual(expected);
    expect(await page.getByTestId("does-not-run").count()).toBe(2);
    await page.reload();
    await expect.poll(() => rowIds(page), { timeout: 30_000 }).toEqual(expected);
    expect(await form.getByLabel("Runs").inputValue()).toBe("no");
    expect(await form.getByLabel("Builder").inputValue()).toBe("BUILDKIT");
    await screenshot(page, "builds-page-filtered");

    // Search and commit prefix, straight from the address.
    await page.goto(`${baseUrl()}/builds?q=${encodeURIComponent("pip install")}&projectId=${ids.project}`);
    expect((await rowIds(page)).length).toBe(ids.builds.filter((_, i) => i % 7 === 3).length);
    await page.goto(`${baseUrl()}/builds?commit=0a${"c0ffee".slice(0, 4)}`);
    await expect.poll(() => rowIds(page), { timeout: 30_000 }).toEqual([ids.builds[10]]);
    expect(await page.getByLabel("Commit").inputValue()).toBe("0ac0ff");

    // A bad value is a message, not a crash; nothing matching is an empty state.
    await page.goto(`${baseUrl()}/builds?status=DONE&from=soon`);
    const problem = await page.getByTestId("filter-error").textContent();
    expect(problem).toContain("status is one of");
    expect(problem).toContain("dates are YYYY-MM-DD");
    await screenshot(page, "builds-page-bad-filter");
    await page.goto(`${baseUrl()}/builds?q=no-such-build-${run}`);
    expect(await page.getByText("No build matches these filters").count()).toBe(1);
    await context.close();
  });

  it("re-runs a real build at the same commit, and says what to do about a failed one", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const created = await page.evaluate(async (variantId) => {
      const response = await fetch("/api/builds", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ variantId }) });
      return (await response.json()) as { build: { id: string } };
    }, ids.fast);
    const first = await waitForStatus(created.build.id);
    if (first.imageTag) images.push(first.imageTag);
    expect(first.status, first.error ?? "").toBe("SUCCEEDED");

    await page.goto(`${baseUrl()}/builds/${first.id}`);
    const panel = page.getByTestId("rerun-panel");
    expect(await panel.textContent()).toContain(`commit ${first.contextRevision!.slice(0, 12)}`);
    await Promise.all([page.waitForURL((url) => url.pathname.startsWith("/builds/") && !url.pathname.endsWith(first.id)), panel.getByRole("button", { name: "Re-run this build" }).click()]);
    const rerunId = new URL(page.url()).pathname.split("/").pop()!;
    const rerun = await waitForStatus(rerunId);
    if (rerun.imageTag) images.push(rerun.imageTag);
    expect(rerun.status, rerun.error ?? "").toBe("SUCCEEDED");
    expect(rerun.contextRevision).toBe(first.contextRevision);
    expect(rerun.variantId).toBe(first.variantId);

    await page.goto(`${baseUrl()}/builds/${ids.failed}`);
    expect(await page.getByTestId("next-step").textContent()).toBe(
      'The step `RUN pip install .` failed: process "/bin/sh -c pip install ." did not complete successfully: exit code: 1',
    );
    await screenshot(page, "build-failed-next-step");
    await context.close();
  });

  it("shows a branded 'no longer shared' page once a link is revoked, and for unknown links", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const link = await page.evaluate(async (buildId) => {
      const response = await fetch("/api/share-links", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "build", buildId }) });
      return (await response.json()) as { shareLink: { id: string; path: string; expiresAt: string | null } };
    }, ids.builds[29]);
    // New links expire in 30 days unless told otherwise.
    expect(Date.parse(link.shareLink.expiresAt!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(Date.parse(link.shareLink.expiresAt!) - Date.now()).toBeLessThan(31 * 86_400_000);

    const visitor = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const anonymous = await visitor.newPage();
    const open = await anonymous.goto(`${baseUrl()}${link.shareLink.path}`);
    expect(open?.status()).toBe(200);
    expect(await anonymous.getByTestId("report-table").count()).toBe(1);

    await page.evaluate(async (id) => fetch(`/api/share-links/${id}`, { method: "DELETE" }), link.shareLink.id);
    const gone = await anonymous.goto(`${baseUrl()}${link.shareLink.path}`);
    expect(gone?.status()).toBe(404);
    expect(await anonymous.getByRole("heading", { name: "This report is no longer shared" }).count()).toBe(1);
    expect(await anonymous.getByTestId("report-table").count()).toBe(0);
    const html = await anonymous.content();
    expect(html).not.toContain(`Builds page ${run}`);
    await screenshot(anonymous, "share-no-longer-shared");

    const unknown = await anonymous.goto(`${baseUrl()}/r/lbr_${"x".repeat(43)}`);
    expect(unknown?.status()).toBe(404);
    expect(await anonymous.getByRole("heading", { name: "This report is no longer shared" }).count()).toBe(1);
    await visitor.close();
    await context.close();
  });
});
