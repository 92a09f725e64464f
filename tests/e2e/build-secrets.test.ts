// Issue 17 item 6 in a real browser: the project settings page adds a build secret for the
// project and one for a variant, shows names and times only (the value never comes back in the
// page), refuses a bad name next to the field, and deletes a secret.
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { baseUrl, screenshot, signIn, trackConsoleErrors, useBrowser } from "../support/browser";

const unique = randomBytes(3).toString("hex");

afterAll(async () => {
  await db.$disconnect();
});

describe("build secrets on the project settings page", () => {
  const browser = useBrowser();

  it("adds, lists (names only), refuses a bad name and deletes build secrets", async () => {
    const project = await db.project.create({
      data: {
        slug: `h17s-secrets-e2e-${unique}`,
        name: `Secrets e2e ${unique}`,
        contextKind: "DIRECTORY",
        contextPath: path.resolve("examples/pyapp"),
        variants: { create: [{ name: "slim", position: 0 }] },
      },
      include: { variants: true },
    });
    const projectValue = `h17s-e2e-project-${unique}-value`;
    const variantValue = `h17s-e2e-variant-${unique}-value`;

    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.goto(`${baseUrl()}/projects/${project.id}/settings`);
    const section = page.getByTestId("build-secrets");
    await section.getByText("No build secrets yet.").waitFor();
    const form = page.getByTestId("build-secret-form");

    await form.locator('input[name="name"]').fill("npm_token");
    await form.locator('input[name="value"]').fill(projectValue);
    expect(await form.locator('input[name="value"]').getAttribute("type")).toBe("password");
    await form.getByRole("button", { name: "Add or replace secret" }).click();
    await form.getByText("Saved. The value is not shown again.").waitFor();
    await section.locator("td", { hasText: "npm_token" }).waitFor();

    await form.locator('input[name="name"]').fill("npm_token");
    await form.locator('input[name="value"]').fill(variantValue);
    await form.getByLabel("Applies to").selectOption(project.variants[0].id);
    await form.getByRole("button", { name: "Add or replace secret" }).click();
    await section.getByRole("cell", { name: "variant slim", exact: true }).waitFor();

    // Bypass the browser's own pattern check to see the server's word for a bad name.
    await form.locator('input[name="name"]').evaluate((input) => input.removeAttribute("pattern"));
    await form.locator('input[name="name"]').fill("bad name");
    await form.locator('input[name="value"]').fill("x");
    await form.getByRole("button", { name: "Add or replace secret" }).click();
    await form.getByText(/may only hold letters, digits, dots, dashes and underscores/).first().waitFor();

    await page.reload();
    await section.getByRole("cell", { name: "variant slim", exact: true }).waitFor();
    const html = await page.content();
    expect(html).not.toContain(projectValue);
    expect(html).not.toContain(variantValue);
    expect(await page.getByTestId("build-secret-form").locator('input[name="value"]').inputValue()).toBe("");
    expect(await db.projectSecret.count({ where: { projectId: project.id } })).toBe(1);
    expect(await db.variantSecret.count({ where: { variantId: project.variants[0].id } })).toBe(1);
    await screenshot(page, "build-secrets-settings");

    await section.getByRole("button", { name: "Delete secret npm_token (the whole project)" }).click();
    await expect.poll(() => db.projectSecret.count({ where: { projectId: project.id } }), { timeout: 15_000 }).toBe(0);
    expect(await db.variantSecret.count({ where: { variantId: project.variants[0].id } })).toBe(1);

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
