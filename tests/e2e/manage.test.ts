// Managing what was made (issue 13, item 1) in Chromium: an administrator edits a variant (the
// missing Dockerfile is named on its field at once), reorders and deletes variants, and "Compare
// all variants" then builds only the others; a user changes their password and their other
// session is signed out.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createUser } from "@/lib/data/users";
import { requestBuildCancel } from "@/lib/data/build-status";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

const runId = randomBytes(3).toString("hex");

describe("manage projects and variants", () => {
  const browser = useBrowser();
  afterAll(() => db.$disconnect());

  it("edits a variant, reorders and deletes variants; Compare all variants then builds only the others", async () => {
    // The example app's context (the e2e app's root is examples/), three variants of it.
    const project = await db.project.create({
      data: {
        slug: `manage-e2e-${runId}`,
        name: `Manage E2E ${runId}`,
        description: "Three ways to build the example app.",
        contextKind: "DIRECTORY",
        contextPath: "pyapp",
        variants: {
          create: [
            { name: "alpha", strategy: "SINGLE_STAGE", dockerfile: "Dockerfile.single", position: 0 },
            { name: "bravo", strategy: "MULTI_STAGE", dockerfile: "Dockerfile.multi", position: 1 },
            { name: "charlie", strategy: "VENV_COPIES", dockerfile: "Dockerfile.copies", position: 2 },
          ],
        },
      },
      include: { variants: true },
    });
    const idOf = (name: string) => project.variants.find((v) => v.name === name)!.id;
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);

    await page.goto(`${baseUrl()}/projects/${project.id}`);
    await Promise.all([page.waitForURL(/\/manage$/), page.getByRole("link", { name: "Edit, reorder or delete" }).click()]);
    await page.getByTestId("manage-variant").first().waitFor();
    await screenshot(page, "manage-project");

    // Edit bravo: a Dockerfile that is not in the context is named on its field at once.
    await Promise.all([page.waitForURL(/\/edit$/), page.getByRole("link", { name: "Edit bravo" }).click()]);
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("bravo");
    expect(await page.getByLabel("Dockerfile path").inputValue()).toBe("Dockerfile.multi");
    await page.getByLabel("Name", { exact: true }).fill("bravo-edited");
    await page.getByLabel("Dockerfile path").fill("Dockerfile.missing");
    await page.getByLabel("Smoke command (optional)").fill("python3\n-c\nprint('ok')");
    await page.getByRole("button", { name: "Save variant" }).click();
    const dockerfileError = page.locator('[data-field-error="dockerfile"]');
    await expect.poll(() => dockerfileError.textContent()).toBe("Dockerfile.missing was not found in the build context (pyapp)");
    expect(await page.getByLabel("Dockerfile path").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("bravo-edited");
    expect((await db.variant.findUniqueOrThrow({ where: { id: idOf("bravo") } })).name).toBe("bravo");
    await screenshot(page, "edit-variant");

    await page.getByLabel("Dockerfile path").fill("Dockerfile.multi");
    await Promise.all([page.waitForURL(/\/manage$/), page.getByRole("button", { name: "Save variant" }).click()]);
    expect(await db.variant.findUniqueOrThrow({ where: { id: idOf("bravo") } })).toMatchObject({ name: "bravo-edited", dockerfile: "Dockerfile.multi", smokeCommand: ["python3", "-c", "print('ok')"] });

    // Move charlie up, above bravo-edited.
    await page.getByRole("button", { name: "Move charlie up" }).click();
    await expect
      .poll(() => page.getByTestId("manage-variant").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-name"))))
      .toEqual(["alpha", "charlie", "bravo-edited"]);

    // Delete alpha, after the confirmation says what goes with it.
    await page.getByRole("button", { name: "Delete alpha" }).click();
    await expect.poll(() => page.getByText("Deletes 0 builds with their logs, layers and reports, 0 share links.", { exact: false }).count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Delete it" }).click();
    await expect
      .poll(() => page.getByTestId("manage-variant").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-name"))))
      .toEqual(["charlie", "bravo-edited"]);
    expect(await db.variant.count({ where: { id: idOf("alpha") } })).toBe(0);

    // The project page lists the others in their order; Compare all variants builds only them.
    await page.goto(`${baseUrl()}/projects/${project.id}`);
    await page.getByTestId("variant-row").first().waitFor();
    expect(await page.getByTestId("variant-row").count()).toBe(2);
    await screenshot(page, "manage-project-page");
    await Promise.all([page.waitForURL(/\/compare\?comparison=/, { timeout: 60_000 }), page.getByRole("button", { name: "Compare all variants" }).click()]);
    const comparisonId = new URL(page.url()).searchParams.get("comparison")!;
    const builds = await db.build.findMany({ where: { comparisonId }, include: { variant: true }, orderBy: { queuedAt: "asc" } });
    try {
      expect(builds.map((b) => b.variant.name).sort()).toEqual(["bravo-edited", "charlie"]);
      await page.getByTestId("comparison-row").first().waitFor();
      expect(await page.getByTestId("comparison-row").count()).toBe(2);
    } finally {
      // Only the variant list matters here: the example builds are not needed.
      for (const build of builds) await requestBuildCancel(build.id);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a user changes their own password on Settings; their other session is signed out", async () => {
    const email = `manage-${runId}@e2e.test`;
    await createUser({ email, name: "Manage E2E", password: "first-password-1", role: "BUILDER" });
    const other = await browser().newContext();
    const otherPage = await signIn(other, email, "first-password-1");
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, email, "first-password-1");

    await page.goto(`${baseUrl()}/settings`);
    const form = page.getByRole("form", { name: "Change your password" });
    await form.getByLabel("Current password").fill("wrong-password");
    await form.getByLabel("New password", { exact: true }).fill("second-password-2");
    await form.getByLabel("New password again").fill("second-password-2");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => form.locator('[data-field-error="currentPassword"]').textContent()).toBe("the current password is wrong");

    await form.getByLabel("Current password").fill("first-password-1");
    await form.getByLabel("New password", { exact: true }).fill("second-password-2");
    await form.getByLabel("New password again").fill("second-password-2");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toBe("Password changed. 1 other session was signed out.");
    await screenshot(page, "settings-password");

    // This session stays; the other one is sent to the sign-in page.
    await page.reload();
    expect(new URL(page.url()).pathname).toBe("/settings");
    await otherPage.goto(`${baseUrl()}/settings`);
    expect(new URL(otherPage.url()).pathname).toBe("/login");
    await other.close();
    await context.close();
  });

  it("an administrator sees the reset-password control for other users on Settings", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    await page.goto(`${baseUrl()}/settings`);
    const email = `manage-${runId}@e2e.test`;
    await page.getByRole("button", { name: `Reset the password of ${email}` }).click();
    await page.getByLabel(`New password for ${email}`).fill("third-password-3");
    await page.getByRole("button", { name: "Set password" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Password set" }).count()).toBe(1);
    await screenshot(page, "settings-users-reset");
    await context.close();
  });
});
