// Security headers and cross-site refusals against the running production server (proxy.ts
// only runs there): the headers on pages, the login page, API routes and the 404; a page of
// another origin cannot frame the dashboard (real Chromium); server actions replayed from
// Node with chosen headers refuse a cross-site Sec-Fetch-Site and a forged X-Forwarded-Host;
// a second server started with LAYERBOARD_TRUST_PROXY=true believes X-Forwarded-Host/-Proto
// (Secure cookie, upgrade-insecure-requests); and the pages still hydrate under the CSP.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { db } from "@/lib/db";
import { createSession, createUser } from "@/lib/data/users";
import { EXAMPLE_PROJECT_SLUG } from "@/lib/data/seed";
import { findFreePort } from "@/lib/database/free-port";
import { baseUrl, useBrowser, trackConsoleErrors } from "../support/browser";

const unique = randomBytes(3).toString("hex");
const BUILD_TIMEOUT_MS = 10 * 60_000;

const expectSecurityHeaders = (response: Response, label: string) => {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp, `${label}: Content-Security-Policy`).toContain("frame-ancestors 'none'");
  expect(csp, label).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/);
  expect(csp, label).toContain("object-src 'none'");
  expect(csp, `${label}: no eval in production`).not.toContain("unsafe-eval");
  expect(response.headers.get("x-frame-options"), label).toBe("DENY");
  expect(response.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), label).toBe("same-origin");
  expect(response.headers.get("permissions-policy"), label).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
  return csp;
};

const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)![1];

// A server action as the browser sent it, stopped before it left, to replay from Node.
type CapturedAction = { path: string; headers: Record<string, string>; body: Buffer };

const captureAction = async (page: Page, pathname: string, submit: () => Promise<void>): Promise<CapturedAction> => {
  const url = `${baseUrl()}${pathname}`;
  let resolve!: (action: CapturedAction) => void;
  const captured = new Promise<CapturedAction>((r) => (resolve = r));
  await page.route(url, async (route) => {
    const request = route.request();
    const headers = await request.allHeaders();
    if (request.method() !== "POST" || !headers["next-action"]) return route.continue();
    const keep = ["next-action", "next-router-state-tree", "content-type", "accept"];
    resolve({ path: pathname, headers: Object.fromEntries(keep.filter((name) => headers[name]).map((name) => [name, headers[name]])), body: request.postDataBuffer()! });
    await route.abort();
  });
  await submit();
  const action = await captured;
  await page.unroute(url);
  return action;
};

const replay = (action: CapturedAction, headers: Record<string, string>, base = baseUrl()) =>
  fetch(`${base}${action.path}`, { method: "POST", redirect: "manual", headers: { ...action.headers, origin: base, ...headers }, body: new Uint8Array(action.body) });

const sessionCookieOf = (response: Response) => response.headers.getSetCookie().find((cookie) => cookie.startsWith("lb_session="));

// Another `next start` of the same build and database, with other settings.
const startServer = async (env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> => {
  const port = await findFreePort();
  const child = spawn(path.resolve("node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), ...env },
    stdio: "inherit",
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${url}/api/health`).then((r) => r.status < 500, () => false);
    if (up) return { url, child };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${url} did not start`);
    await new Promise((r) => setTimeout(r, 500));
  }
};

// React marks the server-rendered DOM it has taken over: hydration ran.
const isHydrated = (page: Page) => page.evaluate(() => Object.keys(document.querySelector("main") ?? {}).some((key) => key.startsWith("__reactFiber$")));
const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

describe("security headers and cross-site refusals", () => {
  const browser = useBrowser();
  let adminCookie: string;
  let projectId: string;
  const member = { email: `headers-${unique}@e2e.test`, name: `Headers ${unique}`, password: "headers-password-1" };

  beforeAll(async () => {
    const admin = await db.user.findUniqueOrThrow({ where: { email: process.env.E2E_ADMIN_EMAIL! } });
    adminCookie = `lb_session=${(await createSession(admin.id)).token}`;
    projectId = (await db.project.findUniqueOrThrow({ where: { slug: EXAMPLE_PROJECT_SLUG } })).id;
    await createUser({ ...member, role: "VIEWER" });
  });
  afterAll(async () => {
    await db.apiToken.deleteMany({ where: { name: { startsWith: `headers-${unique}` } } });
    await db.user.deleteMany({ where: { email: member.email } });
    await db.$disconnect();
  });

  it("sends the security headers on pages, the login page, API routes, the 404, public files and share links", async () => {
    const targets: Array<[string, number, boolean]> = [
      ["/", 200, true],
      [`/projects/${projectId}`, 200, true],
      ["/settings", 200, true],
      ["/login", 307, false], // signed in: sent on to the overview
      ["/api/projects", 200, false],
      ["/api/health", 200, false],
      ["/no-such-page", 404, true],
      ["/r/not-a-share-token/report", 404, false],
      ["/icon.svg", 200, false],
    ];
    for (const [pathname, status, isHtml] of targets) {
      const response = await fetch(`${baseUrl()}${pathname}`, { headers: { cookie: adminCookie }, redirect: "manual" });
      expect(response.status, pathname).toBe(status);
      const csp = expectSecurityHeaders(response, pathname);
      if (!isHtml) continue;
      // Every script of the page carries this response's nonce, and only these can run.
      const scripts = [...(await response.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, pathname).toBeGreaterThan(2);
      for (const script of scripts) expect(script, pathname).toContain(`nonce="${nonceOf(csp)}"`);
    }

    // The sign-in page as an anonymous visitor sees it, and a fresh nonce for every response.
    const [first, second] = await Promise.all([fetch(`${baseUrl()}/login`), fetch(`${baseUrl()}/login`)]);
    expect(first.status).toBe(200);
    expect(nonceOf(expectSecurityHeaders(first, "/login"))).not.toBe(nonceOf(expectSecurityHeaders(second, "/login")));
    expect(await first.text()).toContain(`nonce="${nonceOf(first.headers.get("content-security-policy")!)}"`);
  });

  it("refuses to render the dashboard or the sign-in page inside another origin's frame", async () => {
    const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
    // 127.0.0.1 on another port: another origin but the same site, so the session cookie
    // (SameSite=Lax) goes along and the framed page is the signed-in project page itself.
    const port = await findFreePort();
    const attacker: Server = createServer((request, response) => {
      response.setHeader("content-type", "text/html");
      if (request.url === "/control") return response.end("<h1>control frame</h1>");
      response.end(
        `<iframe name="control" src="/control"></iframe>` +
          `<iframe name="project" src="${baseUrl()}/projects/${projectId}"></iframe>` +
          `<iframe name="login" src="${baseUrl()}/login"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(port, "127.0.0.1", resolve));
    const context = await browser().newContext();
    try {
      await context.addCookies([{ name: "lb_session", value: adminCookie.split("=")[1], url: baseUrl() }]);
      const page = await context.newPage();
      const consoleErrors = trackConsoleErrors(page);
      const served: string[] = [];
      page.on("response", (response) => response.url().startsWith(baseUrl()) && served.push(`${response.status()} ${new URL(response.url()).pathname}`));
      await page.goto(`http://127.0.0.1:${port}/`);
      await expect.poll(() => consoleErrors.filter((e) => e.includes("frame-ancestors 'none'")).length, { timeout: 15_000 }).toBe(2);

      const frameText = async (name: string) => {
        const frame = page.frame({ name });
        try {
          return { url: frame?.url(), text: (await frame?.evaluate(() => document.body?.innerText ?? "")) ?? "" };
        } catch {
          return { url: frame?.url(), text: "" };
        }
      };
      // The control frame (no such headers) renders: the check can tell a frame that renders.
      expect((await frameText("control")).text).toContain("control frame");
      // Our pages were served (the project page with the session), and the browser refused to show them.
      expect(served).toContain(`200 /projects/${projectId}`);
      for (const name of ["project", "login"]) {
        const { url, text } = await frameText(name);
        expect(url, name).not.toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(projects|login)/);
        expect(text, name).not.toContain(project.name);
        expect(text, name).not.toMatch(/Sign in/);
      }
    } finally {
      await context.close();
      await new Promise((resolve) => attacker.close(resolve));
    }
  });

  describe("server actions", () => {
    let signInAction: CapturedAction;
    let tokenAction: CapturedAction;
    const tokenName = `headers-${unique}-token`;

    beforeAll(async () => {
      const context = await browser().newContext();
      const page = await context.newPage();
      await page.goto(`${baseUrl()}/login`);
      await page.getByLabel("Email").fill(member.email);
      await page.getByLabel("Password").fill(member.password);
      signInAction = await captureAction(page, "/login", () => page.getByRole("button", { name: "Sign in" }).click());

      await context.addCookies([{ name: "lb_session", value: adminCookie.split("=")[1], url: baseUrl() }]);
      await page.goto(`${baseUrl()}/settings`);
      const form = page.getByRole("form", { name: "Create API token" });
      await form.getByLabel("Token name").fill(tokenName);
      tokenAction = await captureAction(page, "/settings", () => form.getByRole("button", { name: "Create token" }).click());
      await context.close();
    });

    it("refuse a cross-site Sec-Fetch-Site even with our own Origin (Next.js's own check looks at the Origin only)", async () => {
      for (const fetchSite of ["cross-site", "same-site"]) {
        const refused = await replay(signInAction, { "sec-fetch-site": fetchSite });
        expect(sessionCookieOf(refused), fetchSite).toBeUndefined();
        expect(await refused.text()).toContain(`cross-site request refused: Sec-Fetch-Site: ${fetchSite}`);

        const token = await replay(tokenAction, { cookie: adminCookie, "sec-fetch-site": fetchSite });
        expect(await token.text()).toContain("cross-site request refused");
        expect(await db.apiToken.count({ where: { name: tokenName } })).toBe(0);
      }

      // The same requests from our own page go through: only the header made the difference.
      const signedIn = await replay(signInAction, { "sec-fetch-site": "same-origin" });
      expect(sessionCookieOf(signedIn)).toMatch(/^lb_session=[^;]+;.*HttpOnly/i);
      // Plain HTTP and no trusted proxy: not Secure, even when a client claims https.
      expect(sessionCookieOf(signedIn)).not.toMatch(/;\s*Secure/i);
      expect(sessionCookieOf(await replay(signInAction, { "sec-fetch-site": "same-origin", "x-forwarded-proto": "https" }))).not.toMatch(/;\s*Secure/i);
      const created = await replay(tokenAction, { cookie: adminCookie, "sec-fetch-site": "same-origin" });
      expect(await created.text()).toMatch(/lbt_/);
      expect(await db.apiToken.count({ where: { name: tokenName } })).toBe(1);
    });

    it("ignore X-Forwarded-Host without LAYERBOARD_TRUST_PROXY (Next.js's own check would let it match a foreign Origin)", async () => {
      await db.apiToken.deleteMany({ where: { name: tokenName } });
      const forged = { origin: "http://evil.example", "x-forwarded-host": "evil.example" };
      const refused = await replay(tokenAction, { cookie: adminCookie, ...forged });
      expect(refused.status).toBe(200); // past Next.js's check: the refusal is ours
      expect(await refused.text()).toContain("cross-site request refused: Origin http://evil.example is not this host");
      expect(await db.apiToken.count({ where: { name: tokenName } })).toBe(0);
      expect(sessionCookieOf(await replay(signInAction, forged))).toBeUndefined();
    });
  });

  it("route handlers ignore X-Forwarded-Host without LAYERBOARD_TRUST_PROXY", async () => {
    const post = (headers: Record<string, string>, base = baseUrl()) =>
      fetch(`${base}/api/projects`, { method: "POST", headers: { cookie: adminCookie, "content-type": "application/json", ...headers }, body: "{}" });
    const forged = await post({ origin: "http://evil.example", "x-forwarded-host": "evil.example" });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toMatch(
      /^cross-site request refused: Origin http:\/\/evil.example is not this host \(127\.0\.0\.1:\d+\); X-Forwarded-Host is ignored without LAYERBOARD_TRUST_PROXY=true$/,
    );
    // Our own origin passes the check and reaches validation of the (empty) body.
    expect((await post({ origin: baseUrl() })).status).toBe(400);
  });

  describe("behind a trusted proxy (a second server with LAYERBOARD_TRUST_PROXY=true)", () => {
    let server: { url: string; child: ChildProcess };
    beforeAll(async () => {
      server = await startServer({ LAYERBOARD_TRUST_PROXY: "true" });
    });
    afterAll(async () => {
      if (!server || server.child.exitCode !== null) return;
      await new Promise((resolve) => {
        server.child.once("exit", resolve);
        server.child.kill("SIGTERM");
      });
    });

    it("believes X-Forwarded-Host for the origin check and X-Forwarded-Proto for the Secure cookie and the CSP", async () => {
      const publicOrigin = "https://layerboard.example.com";
      const post = (headers: Record<string, string>) =>
        fetch(`${server.url}/api/projects`, { method: "POST", headers: { cookie: adminCookie, "content-type": "application/json", ...headers }, body: "{}" });
      expect((await post({ origin: publicOrigin, "x-forwarded-host": "layerboard.example.com", "x-forwarded-proto": "https" })).status).toBe(400);
      expect((await post({ origin: publicOrigin })).status).toBe(403);
      expect((await post({ origin: "http://evil.example", "x-forwarded-host": "layerboard.example.com" })).status).toBe(403);

      const overTls = await fetch(`${server.url}/login`, { headers: { "x-forwarded-proto": "https" } });
      expect(expectSecurityHeaders(overTls, "/login over TLS")).toMatch(/; upgrade-insecure-requests$/);
      const plain = await fetch(`${server.url}/login`, { headers: { "x-forwarded-proto": "http" } });
      expect(expectSecurityHeaders(plain, "/login over HTTP")).not.toContain("upgrade-insecure-requests");
    });

    it("makes the session cookie Secure when the proxy says https, and only then", async () => {
      const context = await browser().newContext();
      const page = await context.newPage();
      await page.goto(`${baseUrl()}/login`);
      await page.getByLabel("Email").fill(member.email);
      await page.getByLabel("Password").fill(member.password);
      const action = await captureAction(page, "/login", () => page.getByRole("button", { name: "Sign in" }).click());
      await context.close();
      const tls = await replay(action, { "sec-fetch-site": "same-origin", "x-forwarded-proto": "https" }, server.url);
      expect(sessionCookieOf(tls)).toMatch(/;\s*Secure/i);
      const http = await replay(action, { "sec-fetch-site": "same-origin", "x-forwarded-proto": "http" }, server.url);
      expect(sessionCookieOf(http)).toMatch(/^lb_session=/);
      expect(sessionCookieOf(http)).not.toMatch(/;\s*Secure/i);
    });
  });

  it(
    "hydrates the login, overview, project, build, settings, setup and share pages under the CSP, with no violation reported",
    async () => {
      const context: BrowserContext = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript(() => {
        const store = window as unknown as { __cspViolations: string[] };
        store.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", (event) =>
          store.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`),
        );
      });
      const page = await context.newPage();
      const errors = trackConsoleErrors(page);

      await page.goto(`${baseUrl()}/login`);
      await expect.poll(() => isHydrated(page)).toBe(true);
      expect(await cspViolations(page), "/login").toEqual([]);
      await page.getByLabel("Email").fill(process.env.E2E_ADMIN_EMAIL!);
      await page.getByLabel("Password").fill(process.env.E2E_ADMIN_PASSWORD!);
      await Promise.all([page.waitForURL(`${baseUrl()}/`), page.getByRole("button", { name: "Sign in" }).click()]);

      // The overview, then the project page by a client-side navigation (the router loads the
      // page's chunks itself: 'strict-dynamic' must let them in).
      const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
      await page.getByRole("link", { name: project.name }).first().waitFor({ timeout: 30_000 });
      await expect.poll(() => isHydrated(page)).toBe(true);
      expect(await cspViolations(page), "/").toEqual([]);
      await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
      await Promise.all([page.waitForURL(`${baseUrl()}/projects/${projectId}`), page.getByRole("link", { name: project.name }).first().click()]);
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await expect.poll(() => isHydrated(page)).toBe(true);
      expect(await cspViolations(page), "project page").toEqual([]);

      // A build of the example, then its page: the layer table sorts (client code runs).
      const variant = await db.variant.findFirstOrThrow({ where: { projectId, name: "multi-stage" } });
      const created = await page.evaluate(async (variantId) => {
        const response = await fetch("/api/builds", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ variantId }) });
        return { status: response.status, body: (await response.json()) as { build: { id: string } } };
      }, variant.id);
      expect(created.status).toBe(201);
      const buildId = created.body.build.id;
      await page.goto(`${baseUrl()}/builds/${buildId}`);
      await page.getByTestId("log-pane").waitFor();
      const finished = async () => (await db.build.findUniqueOrThrow({ where: { id: buildId } })).status;
      await expect.poll(async () => !["QUEUED", "RUNNING"].includes(await finished()), { timeout: BUILD_TIMEOUT_MS, interval: 1000 }).toBe(true);
      expect(await finished()).toBe("SUCCEEDED");
      const table = page.getByTestId("layer-table").first();
      await table.waitFor({ timeout: 60_000 });
      await table.getByRole("button", { name: /^Size/ }).click();
      expect(await table.locator("th[aria-sort=descending]").textContent()).toMatch(/Size/);
      expect(await isHydrated(page)).toBe(true);
      expect(await cspViolations(page), "build page").toEqual([]);

      // The project page again, loaded afresh, now with a build in its history; and the
      // settings and setup forms.
      const shared = await page.evaluate(async (id) => {
        const response = await fetch("/api/share-links", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "build", buildId: id }) });
        return { status: response.status, body: (await response.json()) as { shareLink: { path: string } } };
      }, buildId);
      expect(shared.status).toBe(201);
      for (const pathname of [`/projects/${projectId}`, "/settings", `/setup/variant?project=${projectId}`, shared.body.shareLink.path]) {
        await page.goto(`${baseUrl()}${pathname}`);
        await expect.poll(() => isHydrated(page)).toBe(true);
        expect(await cspViolations(page), pathname).toEqual([]);
      }
      expect(errors).toEqual([]);
      await context.close();
    },
    BUILD_TIMEOUT_MS + 120_000,
  );
});
