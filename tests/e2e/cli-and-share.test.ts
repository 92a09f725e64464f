// The CI entry point against the real app, worker and engine: `layerboard build --wait
// --fail-on-budget` fails on a tiny budget and passes on a generous one, printing the
// Markdown report. Then a share link opened by a visitor with no session, until revoked.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/data/api-tokens";
import { baseUrl, useBrowser, screenshot, trackConsoleErrors } from "../support/browser";

const CLI = path.resolve("scripts", "cli.mjs");
const PROJECT = "pyapp-example";
const VARIANT = "multi-stage";

type CliResult = { code: number | null; stdout: string; stderr: string };

const runCli = (args: string[], env: Record<string, string> = {}) =>
  new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LAYERBOARD_URL: "", LAYERBOARD_TOKEN: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

const api = async (method: string, pathname: string, token: string, body?: unknown) => {
  const response = await fetch(`${baseUrl()}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${JSON.stringify(json)}`);
  return json;
};

describe("CLI and share links", () => {
  const browser = useBrowser();
  let adminToken: string;
  let builderToken: string;
  let variantId: string;
  let lastBuildId: string;

  beforeAll(async () => {
    const admin = await db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    adminToken = (await createApiToken({ name: "e2e-admin", role: "ADMIN", createdById: admin.id })).token;
    builderToken = (await createApiToken({ name: "e2e-ci", role: "BUILDER", createdById: admin.id })).token;
    const { project } = await api("GET", `/api/projects/${PROJECT}`, builderToken);
    variantId = project.variants.find((v: { name: string }) => v.name === VARIANT).id;
  });

  afterAll(() => db.$disconnect());

  it("explains usage and refuses to run without a token or a reachable server", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("layerboard build");
    const noToken = await runCli(["build", "--project", PROJECT, "--variant", VARIANT, "--url", baseUrl()]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("API token is required");
    const unknownVariant = await runCli(["build", "--project", PROJECT, "--variant", "nope", "--url", baseUrl(), "--token", builderToken]);
    expect(unknownVariant.code).toBe(2);
    expect(unknownVariant.stderr).toContain('no variant "nope"');
    const down = await runCli(["compare", "--project", PROJECT], { LAYERBOARD_URL: "http://127.0.0.1:9", LAYERBOARD_TOKEN: builderToken });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("cannot reach Layerboard");
  });

  it("fails the build on a budget it exceeds, with the Markdown report on stdout", async () => {
    await api("PATCH", `/api/variants/${variantId}`, adminToken, { sizeBudgetBytes: 1000, regressionThresholdPct: null });
    const result = await runCli(["build", "--project", PROJECT, "--variant", VARIANT, "--wait", "--fail-on-budget", "--url", baseUrl(), "--token", builderToken]);
    expect(result.stderr).toMatch(/queued build \S+ of Python C-extension example \/ multi-stage/);
    expect(result.stderr).toContain("multi-stage: succeeded");
    expect(result.stderr).toContain("over budget (--fail-on-budget)");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^## Layerboard report: Python C-extension example · multi-stage/);
    expect(result.stdout).toMatch(/\| \*\*multi-stage\*\* \| succeeded \| \d+\.\d MB \|.*✅ runs.*❌ over budget \|/);
    expect(result.stdout).toContain("is over the budget of 1.0 kB");
  });

  it("passes with a generous budget, and without --fail-on-budget only warns", async () => {
    await api("PATCH", `/api/variants/${variantId}`, adminToken, { sizeBudgetBytes: 10_000_000_000 });
    const result = await runCli(["build", "--project", PROJECT, "--variant", VARIANT, "--wait", "--fail-on-budget"], {
      LAYERBOARD_URL: baseUrl(),
      LAYERBOARD_TOKEN: builderToken,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✅ ≤ 10.0 GB");
    expect(result.stderr).toContain("layerboard: ok");
    lastBuildId = result.stderr.match(/queued build (\S+)/)![1];

    await api("PATCH", `/api/variants/${variantId}`, adminToken, { sizeBudgetBytes: 1000 });
    const verdict = (await api("GET", `/api/builds/${lastBuildId}/verdict`, builderToken)).verdict;
    expect(verdict).toMatchObject({ done: true, healthy: true, budgetPassed: false, passed: false });
    const warned = await runCli(["build", "--project", PROJECT, "--variant", VARIANT, "--wait", "--url", baseUrl(), "--token", builderToken]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain("❌ over budget");
    expect(warned.stderr).toContain("over budget (not failing: pass --fail-on-budget to fail)");
    await api("PATCH", `/api/variants/${variantId}`, adminToken, { sizeBudgetBytes: null });
  });

  it("shows a shared report to a visitor without a session, and 404 once revoked", async () => {
    const { shareLink } = await api("POST", "/api/share-links", builderToken, { kind: "build", buildId: lastBuildId, expiresInDays: 7 });
    const context = await browser().newContext();
    const page = await context.newPage();
    const errors = trackConsoleErrors(page);
    const response = await page.goto(`${baseUrl()}${shareLink.path}`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(shareLink.path);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Python C-extension example · multi-stage");
    expect(await page.getByTestId("snapshot-note").textContent()).toMatch(/Snapshot taken at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await page.getByTestId("report-verdict").getAttribute("data-passed")).toBe("true");
    expect(await page.locator('[data-testid="report-table"] tr[data-variant="multi-stage"]').count()).toBe(1);
    await expect.poll(() => page.locator("figure svg.recharts-surface").count()).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: "Markdown" }).getAttribute("href")).toBe(`${shareLink.path}/report?format=md&download=1`);
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);
    await screenshot(page, "shared-report");
    expect(errors).toEqual([]);

    await api("DELETE", `/api/share-links/${shareLink.id}`, builderToken);
    const gone = await page.goto(`${baseUrl()}${shareLink.path}`);
    expect(gone?.status()).toBe(404);
    await context.close();
  });
});
