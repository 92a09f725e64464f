// Real Chromium (Debian's /usr/bin/chromium) through playwright-core; never downloads a
// browser. Playwright gives every launch a fresh temporary profile (--user-data-dir).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const SCREENSHOT_DIR = path.resolve("test-results", "screenshots");

// `extraArgs`: more Chromium flags, e.g. `--host-resolver-rules=MAP layerboard.test 127.0.0.1`
// to open the app at a host name other than localhost.
export const launchBrowser = (extraArgs: string[] = []): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });

// One Chromium for the calling describe block: launched before its tests, closed after.
export const useBrowser = (extraArgs: string[] = []): (() => Browser) => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser(extraArgs);
  });
  afterAll(() => browser?.close());
  return () => {
    if (!browser) throw new Error("the browser is not launched yet (call useBrowser() inside describe)");
    return browser;
  };
};

export const baseUrl = () => {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: run through `npm run test:e2e`");
  return url;
};

// Collects console errors and uncaught page errors so a test can assert there were none.
export const trackConsoleErrors = (page: Page) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${message.text()} (${message.location().url || "no url"})`);
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  return errors;
};

// `base`: the app at another address than baseUrl() (the session cookie is per host).
export const signIn = async (context: BrowserContext, email = process.env.E2E_ADMIN_EMAIL!, password = process.env.E2E_ADMIN_PASSWORD!, base = baseUrl()) => {
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Sign in" }).click()]);
  return page;
};

const LOOKS = [
  { suffix: "", colorScheme: "light", width: null },
  { suffix: "-dark", colorScheme: "dark", width: null },
  { suffix: "-390", colorScheme: "light", width: 390 },
  { suffix: "-390-dark", colorScheme: "dark", width: 390 },
] as const;

// Every page in four looks (light and dark, the page's own width and 390 px phone width):
// `name.png`, `name-dark.png`, `name-390.png`, `name-390-dark.png`. The page is put back as it was.
export const screenshot = async (page: Page, name: string) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const viewport = page.viewportSize();
  try {
    for (const look of LOOKS) {
      await page.emulateMedia({ colorScheme: look.colorScheme });
      if (viewport) await page.setViewportSize({ width: look.width ?? viewport.width, height: viewport.height });
      // Charts measure their container after a resize; give them a frame or two.
      await page.waitForTimeout(look.width ? 300 : 50);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}${look.suffix}.png`), fullPage: true });
    }
  } finally {
    await page.emulateMedia({ colorScheme: null });
    if (viewport) await page.setViewportSize(viewport);
  }
};
