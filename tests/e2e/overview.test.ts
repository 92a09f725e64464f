import { describe, expect, it } from "vitest";
import { baseUrl, useBrowser, screenshot, signIn, trackConsoleErrors } from "../support/browser";

describe("overview", () => {
  const browser = useBrowser();

  it("sends anonymous visitors to sign in", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("shows the example project and engine and database health after sign-in", async () => {
    const context = await browser().newContext();
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);
    await page.reload();
    await expect.poll(() => page.getByTestId("health-database").getAttribute("data-ok")).toBe("true");
    expect(await page.getByTestId("health-engine").getAttribute("data-ok")).toBe("true");
    expect(await page.getByTestId("health-engine").textContent()).toMatch(/API 1\.\d+/);
    // The page streams (loading.tsx): the footer can arrive before the project list.
    await page.getByRole("link", { name: "Python C-extension example" }).first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole("link", { name: "Python C-extension example" }).count()).toBeGreaterThan(0);
    await screenshot(page, "overview");
    expect(errors).toEqual([]);
    await context.close();
  });
});
