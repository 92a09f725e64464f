// Settings and authentication in a real browser: users and API tokens made in the settings
// page, a viewer refused writes, expired sessions sent to sign-in, user text shown as text.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { db } from "@/lib/db";
import { createSession, createUser } from "@/lib/data/users";
import { hashSecret } from "@/lib/auth/tokens";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const unique = randomBytes(3).toString("hex");
const viewer = { email: `viewer-${unique}@e2e.test`, name: `Viewer ${unique}`, password: "viewer-password-1" };

const postJson = (page: Page, url: string, body: unknown) =>
  page.evaluate(
    async ([u, b]) => {
      const response = await fetch(u as string, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
      return { status: response.status, body: await response.text() };
    },
    [url, body] as const,
  );

describe("settings and authentication", () => {
  const browser = useBrowser();
  afterAll(() => db.$disconnect());

  it("lets an admin create a viewer and an API token shown once, then sign out", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl() });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.goto(`${baseUrl()}/settings`);
    await expect.poll(() => page.getByTestId("engine-info").getAttribute("data-reachable"), { timeout: 30_000 }).toBe("true");
    expect(await page.getByTestId("engine-api-version").textContent()).toMatch(/^1\.\d+$/);
    expect(await page.getByTestId("engine-buildkit").textContent()).toMatch(/^(yes|no)$/);
    expect(await page.getByTestId("database-info").getAttribute("data-ok")).toBe("true");
    // The configuration never shows the database credentials.
    expect(await page.getByTestId("database-info").textContent()).not.toMatch(/layerboard:layerboard@/);
    expect(await page.content()).not.toContain(process.env.E2E_ADMIN_PASSWORD!);

    // A viewer.
    const userForm = page.getByRole("form", { name: "Create user" });
    await userForm.getByLabel("Email").fill(viewer.email);
    await userForm.getByLabel("Name").fill(viewer.name);
    await userForm.getByLabel("Password").fill(viewer.password);
    await userForm.getByLabel("Role").selectOption("VIEWER");
    await userForm.getByRole("button", { name: "Create user" }).click();
    await userForm.getByRole("status").filter({ hasText: viewer.email }).waitFor();
    const row = page.locator(`[data-testid="user-row"][data-email="${viewer.email}"]`);
    await row.waitFor();
    expect(await row.getByLabel(`Role of ${viewer.email}`).inputValue()).toBe("VIEWER");

    // A bad user is refused with the field named, and nothing is created.
    await userForm.getByLabel("Email").fill(`short-${unique}@e2e.test`);
    await userForm.getByLabel("Name").fill("Short");
    await userForm.getByLabel("Password").fill("123456789"); // passes no browser check: minLength is enforced server-side too
    await userForm.evaluate((form) => ((form as HTMLFormElement).noValidate = true));
    await userForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => userForm.getByRole("alert").textContent()).toMatch(/password: password needs at least 10 characters/);
    expect(await db.user.count({ where: { email: `short-${unique}@e2e.test` } })).toBe(0);
    expect(await userForm.getByLabel("Email").inputValue()).toBe(`short-${unique}@e2e.test`);

    // Change a role, then delete that user (both through a confirmation-free save / a confirm step).
    const temp = `temp-${unique}@e2e.test`;
    await userForm.getByLabel("Email").fill(temp);
    await userForm.getByLabel("Password").fill("temporary-password");
    await userForm.getByLabel("Role").selectOption("BUILDER");
    await userForm.getByRole("button", { name: "Create user" }).click();
    const tempRow = page.locator(`[data-testid="user-row"][data-email="${temp}"]`);
    await tempRow.waitFor();
    await tempRow.getByLabel(`Role of ${temp}`).selectOption("ADMIN");
    await tempRow.getByRole("button", { name: "Save role" }).click();
    await expect.poll(async () => (await db.user.findUnique({ where: { email: temp } }))?.role).toBe("ADMIN");
    await expect.poll(() => tempRow.getByRole("button", { name: "Save role" }).count()).toBe(0);
    await tempRow.getByRole("button", { name: `Delete ${temp}` }).click();
    await tempRow.getByRole("button", { name: "Confirm delete" }).click();
    await expect.poll(() => tempRow.count()).toBe(0);
    expect(await db.user.count({ where: { email: temp } })).toBe(0);

    // An API token: shown once, with a copy button, and it works.
    const tokenForm = page.getByRole("form", { name: "Create API token" });
    await tokenForm.getByLabel("Token name").fill(`e2e-ci-${unique}`);
    await tokenForm.getByLabel("Token role").selectOption("BUILDER");
    await tokenForm.getByRole("button", { name: "Create token" }).click();
    const tokenValue = page.getByTestId("new-token-value");
    await tokenValue.waitFor();
    const token = (await tokenValue.textContent())!.trim();
    expect(token).toMatch(/^lbt_[A-Za-z0-9_-]{20,}$/);
    const tokenRow = page.locator(`[data-testid="token-row"][data-name="e2e-ci-${unique}"]`);
    await tokenRow.waitFor();
    expect(await tokenRow.textContent()).toContain(token.slice(0, 10));
    expect(await tokenRow.textContent()).not.toContain(token);
    await page.getByTestId("new-token").getByRole("button", { name: "Copy" }).click();
    await page.getByTestId("new-token").getByText(/Copied|Selected/).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText().catch(() => null))).toBe(token);
    await screenshot(page, "settings");

    const api = await fetch(`${baseUrl()}/api/projects`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    const stored = await db.apiToken.findFirstOrThrow({ where: { name: `e2e-ci-${unique}` } });
    expect(stored.tokenHash).toBe(hashSecret(token));

    // After a reload the token is gone from the page for good.
    await page.reload();
    await tokenRow.waitFor();
    expect(await page.getByTestId("new-token-value").count()).toBe(0);
    expect(await page.content()).not.toContain(token);

    // Revoking it (with a confirmation step) ends it.
    await tokenRow.getByRole("button", { name: `Revoke e2e-ci-${unique}` }).click();
    await tokenRow.getByRole("button", { name: "Confirm revoke" }).click();
    await expect.poll(() => tokenRow.getAttribute("data-revoked")).toBe("true");
    expect((await fetch(`${baseUrl()}/api/projects`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

    expect(errors).toEqual([]);
    await Promise.all([page.waitForURL(`${baseUrl()}/login`), page.getByRole("button", { name: "Sign out" }).click()]);
    await page.goto(`${baseUrl()}/settings`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("shows a wrong password as an error and keeps the visitor on the sign-in page", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/login`);
    await page.getByLabel("Email").fill(viewer.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").filter({ hasText: /\w/ }).first().textContent()).toMatch(/wrong email or password/);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("shows a viewer the read-only settings and refuses the viewer's build and compare-all requests", async () => {
    const context = await browser().newContext();
    const page = await signIn(context, viewer.email, viewer.password);
    await page.goto(`${baseUrl()}/settings`);
    await page.getByTestId("admin-only-note").waitFor();
    expect(await page.getByTestId("roles-table").count()).toBe(1);
    expect(await page.getByTestId("users-table").count()).toBe(0);
    expect(await page.getByRole("form", { name: "Create API token" }).count()).toBe(0);

    const { projects } = (await page.evaluate(async () => (await fetch("/api/projects")).json())) as { projects: { id: string; variants: { id: string }[] }[] };
    const project = projects.find((p) => p.variants.length > 0)!;
    // Counted before and after: earlier test files may still be queueing builds of this project.
    const countBuilds = () => db.build.count({ where: { projectId: project.id } });
    const before = await countBuilds();
    const build = await postJson(page, "/api/builds", { variantId: project.variants[0].id });
    expect(build.status, build.body).toBe(403);
    const compare = await postJson(page, `/api/projects/${project.id}/comparisons`, {});
    expect(compare.status, compare.body).toBe(403);
    expect(await countBuilds()).toBe(before);
    await context.close();
  });

  it("sends a visitor whose session expired back to sign in", async () => {
    const user = await createUser({ email: `expiring-${unique}@e2e.test`, name: "Expiring", password: "expiring-password", role: "VIEWER" });
    const { token } = await createSession(user.id);
    const context = await browser().newContext();
    await context.addCookies([{ name: "lb_session", value: token, url: baseUrl() }]);
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/settings`);
    expect(new URL(page.url()).pathname).toBe("/settings");
    await db.session.update({ where: { tokenHash: hashSecret(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await page.goto(`${baseUrl()}/settings`);
    expect(new URL(page.url()).pathname).toBe("/login");
    // The sign-in page itself does not loop back with the stale cookie.
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await context.close();
  });

  it("renders build errors, log lines and names containing HTML as text", async () => {
    const script = "<script>alert(1)</script>";
    const img = "<img src=x onerror=alert(1)>";
    const project = await db.project.create({
      data: { slug: `xss-${unique}`, name: `XSS ${script}`, contextKind: "DIRECTORY", contextPath: "pyapp" },
    });
    const variant = await db.variant.create({
      data: { projectId: project.id, name: `variant ${img}`, dockerfile: "Dockerfile.single", buildArgs: { NOTE: script } },
    });
    const now = Date.now();
    const build = await db.build.create({
      data: {
        projectId: project.id,
        variantId: variant.id,
        status: "FAILED",
        settings: { dockerfile: "Dockerfile.single", buildArgs: { NOTE: script } },
        queuedAt: new Date(now - 5000),
        startedAt: new Date(now - 4000),
        finishedAt: new Date(now - 1000),
        durationMs: 3000,
        errorCode: "BUILD_FAILED",
        error: img,
        logLines: 2,
        logBytes: script.length + img.length,
        logs: { create: [{ seq: 1, stream: "stdout", text: `echo ${script}` }, { seq: 2, stream: "stderr", text: img }] },
      },
    });

    const context = await browser().newContext();
    const page = await signIn(context);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${baseUrl()}/builds/${build.id}`);
    await page.getByTestId("build-error").waitFor();
    expect(await page.getByTestId("build-error").textContent()).toContain(img);
    await expect.poll(() => page.getByTestId("log-pane").textContent(), { timeout: 30_000 }).toContain(script);
    expect(await page.getByTestId("log-pane").textContent()).toContain(img);
    expect(await page.getByText(`variant ${img}`).first().isVisible()).toBe(true);
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    await page.goto(`${baseUrl()}/projects/${project.id}`);
    await page.getByText(`XSS ${script}`).first().waitFor();
    await page.waitForTimeout(1000);
    expect(dialogs).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await context.close();
  });
});
