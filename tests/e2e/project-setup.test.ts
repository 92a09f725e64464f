// An administrator creates a project from the UI with a directory context, meets the
// validation errors first, and lands on the new project's page.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

describe("project setup", () => {
  const browser = useBrowser();
  afterAll(() => db.$disconnect());

  it("creates a directory project from the form after showing errors for a bad slug and a path outside the roots", async () => {
    const context = await browser().newContext();
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    const slug = `pyapp-setup-${Date.now().toString(36)}`;

    await page.goto(`${baseUrl()}/setup/project`);
    await expect.poll(() => page.getByRole("heading", { name: "New project" }).count()).toBe(1);
    // The allowed roots are shown; the e2e app runs with the default root, examples/.
    expect(await page.getByTestId("context-root").first().textContent()).toMatch(/\/examples$/);

    await page.getByLabel("Name", { exact: true }).fill("Setup E2E app");
    expect(await page.getByLabel("Slug", { exact: true }).inputValue()).toBe("setup-e2e-app"); // suggested from the name
    await page.getByLabel("Slug", { exact: true }).fill("Not A Slug!");
    await page.getByLabel("Directory", { exact: true }).fill("../../etc");
    await page.getByRole("button", { name: "Create project" }).click();
    const slugError = page.locator('[data-field-error="slug"]');
    await expect.poll(() => slugError.textContent()).toContain("slug is lowercase letters, digits and -");
    expect(await page.getByLabel("Slug", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    // What was typed is still there after the server answered.
    expect(await page.getByLabel("Directory", { exact: true }).inputValue()).toBe("../../etc");

    await page.getByLabel("Slug", { exact: true }).fill(slug);
    await page.getByRole("button", { name: "Create project" }).click();
    const pathError = page.locator('[data-field-error="contextPath"]');
    await expect.poll(() => pathError.textContent()).toContain("is outside the allowed roots");
    expect(await pathError.textContent()).toContain("allowed roots:");
    expect(await slugError.count()).toBe(0);
    expect(await db.project.count({ where: { slug } })).toBe(0);
    await screenshot(page, "setup-project");

    await page.getByLabel("Directory", { exact: true }).fill("pyapp");
    await Promise.all([page.waitForURL(/\/projects\/[a-z0-9]+$/), page.getByRole("button", { name: "Create project" }).click()]);
    const project = await db.project.findUniqueOrThrow({ where: { slug } });
    expect(new URL(page.url()).pathname).toBe(`/projects/${project.id}`);
    expect(project).toMatchObject({ name: "Setup E2E app", contextKind: "DIRECTORY", contextPath: "pyapp", gitUrl: null });
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Setup E2E app" }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
