// Security suite: every route handler in app/ is found on disk at test time and called
// without credentials, with a viewer API token and cross-site with an admin's session
// cookie; plus sign-in rate limiting, password hashing, sessions and API tokens.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createSession, createUser, deleteUser, signIn, updateUserRole } from "@/lib/data/users";
import { createApiToken, findApiTokens, revokeApiToken } from "@/lib/data/api-tokens";
import { findActorForRequest } from "@/lib/auth/actor";
import { verifyPassword } from "@/lib/auth/password";
import { hashSecret } from "@/lib/auth/tokens";
import type { Role } from "@/lib/auth/roles";

const ROOT = path.resolve(__dirname, "../..");
const APP_DIR = path.join(ROOT, "app");
const HOST = "localhost:3000";
const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
const MUTATING: Method[] = ["POST", "PUT", "PATCH", "DELETE"];

// Routes that answer anonymous callers on purpose, and only for these methods. Public
// routes must never accept a write; each entry must still exist (no stale exceptions).
const PUBLIC_ROUTES: Record<string, { methods: Method[]; why: string }> = {
  "api/health": { methods: ["GET"], why: "load balancers: up/down only, details need a sign-in" },
  "r/[token]/report": { methods: ["GET"], why: "share links are public read-only snapshots (unknown token → 404)" },
};

// Routes whose caller proves itself with a signature over the body instead of a session or a
// token (lib/api/route.ts signedRoute). Unsigned, they must never succeed: 404 for a project that
// does not exist, else 401 (tests/integration/push-webhooks.test.ts covers the signed cases).
const SIGNED_ROUTES: Record<string, { methods: Method[]; why: string }> = {
  "api/projects/[id]/push": { methods: ["POST"], why: "incoming push webhooks from GitHub, GitLab, Gitea or CI (docs/push.md)" },
};

type RouteModule = Partial<Record<Method, (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>>>;
type RouteCase = { file: string; route: string; url: string; params: Record<string, string | string[]> };

const findRouteFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findRouteFiles(full);
    return /^route\.(ts|tsx|js|mjs)$/.test(entry.name) ? [full] : [];
  });

// app/api/builds/[id]/cancel/route.ts → route "api/builds/[id]/cancel", url /api/builds/nonexistent/cancel
const toRouteCase = (file: string): RouteCase => {
  const segments = path.relative(APP_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
  const params: Record<string, string | string[]> = {};
  const urlSegments: string[] = [];
  for (const segment of segments) {
    if (/^\(.*\)$/.test(segment) || segment.startsWith("@")) continue; // route groups and slots are not in the URL
    const dynamic = /^\[\[?(\.\.\.)?([^\]]+)\]\]?$/.exec(segment);
    if (dynamic) {
      params[dynamic[2]] = dynamic[1] ? ["nonexistent"] : "nonexistent";
      urlSegments.push("nonexistent");
    } else urlSegments.push(segment);
  }
  return { file, route: segments.join("/"), url: `http://${HOST}/${urlSegments.join("/")}`, params };
};

const importRoute = async (file: string): Promise<RouteModule> => (await import(/* @vite-ignore */ file)) as RouteModule;
const exportedMethods = (mod: RouteModule) => METHODS.filter((method) => typeof mod[method] === "function");
// The same from the source text, as a second count that does not trust the module loader.
const declaredMethods = (file: string): Method[] => {
  const source = readFileSync(file, "utf8");
  const named = [...source.matchAll(/^export\s+(?:const|let|(?:async\s+)?function)\s+([A-Z]+)\b/gm)].map((m) => m[1]);
  const listed = [...source.matchAll(/^export\s*\{([^}]*)\}/gm)].flatMap((m) => m[1].split(",").map((name) => name.trim().split(/\s+as\s+/).at(-1)!));
  return METHODS.filter((method) => named.includes(method) || listed.includes(method));
};

const ROUTES = findRouteFiles(APP_DIR).sort().map(toRouteCase);
const API_ROUTES = ROUTES.filter((r) => r.route.startsWith("api/"));
// One case per (route file, HTTP method it exports), found on disk when the suite is collected.
const ROUTE_METHODS = (
  await Promise.all(ROUTES.map(async (r) => exportedMethods(await importRoute(r.file)).map((method) => ({ ...r, method }))))
).flat();
const isPublic = (route: string, method: Method) => PUBLIC_ROUTES[route]?.methods.includes(method) ?? false;
const isSigned = (route: string, method: Method) => SIGNED_ROUTES[route]?.methods.includes(method) ?? false;

const call = async (routeCase: RouteCase, method: Method, headers: Record<string, string> = {}) => {
  const mod = await importRoute(routeCase.file);
  const hasBody = MUTATING.includes(method);
  const request = new Request(routeCase.url, {
    method,
    headers: { host: HOST, ...(hasBody ? { "content-type": "application/json" } : {}), ...headers },
    body: hasBody ? "{}" : undefined,
  });
  const response = await mod[method]!(request, { params: Promise.resolve(routeCase.params) });
  // Streams (SSE) must not be left open by a refused call; a refusal is a small JSON body.
  const text = await Promise.race([response.text(), new Promise<string>((resolve) => setTimeout(() => resolve("(streaming)"), 2000))]);
  return { status: response.status, text };
};

const unique = () => randomBytes(4).toString("hex");

const makeUser = (role: Role, password = "correct-horse-battery") =>
  createUser({ email: `${role.toLowerCase()}-${unique()}@security.test`, name: `${role} ${unique()}`, password, role });

describe("security", () => {
  let adminCookie: string;
  let viewerToken: string;
  let adminId: string;

  beforeAll(async () => {
    const admin = await makeUser("ADMIN");
    adminId = admin.id;
    adminCookie = `lb_session=${(await createSession(admin.id)).token}`;
    viewerToken = (await createApiToken({ name: `viewer-${unique()}`, role: "VIEWER", createdById: admin.id })).token;
  });

  afterAll(() => db.$disconnect());

  it("finds every route handler module on disk, each exporting at least one HTTP method", async () => {
    expect(API_ROUTES.length).toBeGreaterThanOrEqual(10);
    const declared = ROUTES.flatMap((r) => declaredMethods(r.file).map((method) => `${method} /${r.route}`));
    expect(ROUTE_METHODS.map((c) => `${c.method} /${c.route}`)).toEqual(declared);
    expect(ROUTES.filter((r) => !ROUTE_METHODS.some((c) => c.file === r.file)).map((r) => r.route)).toEqual([]);
    const publicCount = Object.keys(PUBLIC_ROUTES).length;
    console.info(
      `[security] ${ROUTES.length} route modules (${API_ROUTES.length} under app/api), ${ROUTE_METHODS.length} (route, method) pairs ` +
        `+ ${publicCount} public routes = ${ROUTE_METHODS.length + publicCount} generated cases:\n  ${declared.join("\n  ")}`,
    );
  });

  it("checks that the admin session and the viewer token used below are valid", async () => {
    const projects = ROUTES.find((r) => r.route === "api/projects")!;
    expect((await call(projects, "GET", { cookie: adminCookie })).status).toBe(200);
    expect((await call(projects, "GET", { authorization: `Bearer ${viewerToken}` })).status).toBe(200);
  });

  describe("every route handler, method by method", () => {
    it.each(ROUTE_METHODS.filter((c) => !isPublic(c.route, c.method) && !isSigned(c.route, c.method)).map((c) => [`${c.method} /${c.route}`, c] as const))(
      "%s refuses anonymous callers (401) before looking anything up; a write also refuses a viewer token and cross-site requests (403)",
      async (name, routeCase) => {
        const { method } = routeCase;
        const anonymous = await call(routeCase, method);
        expect(anonymous.status, `${name} without credentials: ${anonymous.text}`).toBe(401);
        if (!MUTATING.includes(method)) return;
        const viewer = await call(routeCase, method, { authorization: `Bearer ${viewerToken}` });
        expect(viewer.status, `${name} as a viewer token: ${viewer.text}`).toBe(403);
        for (const headers of <Record<string, string>[]>[
          { cookie: adminCookie, origin: "https://evil.example" },
          { cookie: adminCookie, "sec-fetch-site": "cross-site" },
          { cookie: adminCookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
          // A client's own X-Forwarded-Host does not make a foreign Origin ours (believed only
          // with LAYERBOARD_TRUST_PROXY=true, which this suite does not set).
          { cookie: adminCookie, origin: "https://evil.example", "x-forwarded-host": "evil.example" },
          // Sandboxed frames and data: URLs send the literal Origin "null": refused as
          // cross-site, not answered with a 500 from parsing it as a URL.
          { cookie: adminCookie, origin: "null" },
        ]) {
          const { status, text } = await call(routeCase, method, headers);
          expect(status, `${name} ${JSON.stringify({ ...headers, cookie: "admin" })}: ${text}`).toBe(403);
          expect(text).toMatch(/cross-site request refused/);
        }
      },
    );

    it.each(ROUTE_METHODS.filter((c) => isPublic(c.route, c.method)).map((c) => [`${c.method} /${c.route}`, c] as const))(
      "%s answers anonymous callers (public on purpose)",
      async (name, routeCase) => {
        const { status, text } = await call(routeCase, routeCase.method);
        expect(status, `${name} without credentials: ${text}`).not.toBe(401);
        expect(status, `${name} without credentials: ${text}`).toBeLessThan(500);
      },
    );
  });

  describe("signed routes", () => {
    it.each(Object.entries(SIGNED_ROUTES))("/%s exists, exports only its methods and refuses an unsigned call", async (route, { methods }) => {
      const routeCase = ROUTES.find((r) => r.route === route);
      expect(routeCase, `stale signed route ${route}: remove it from SIGNED_ROUTES`).toBeDefined();
      expect(exportedMethods(await importRoute(routeCase!.file))).toEqual(methods);
      for (const method of methods) {
        for (const headers of <Record<string, string>[]>[{}, { cookie: adminCookie }, { authorization: `Bearer ${viewerToken}` }, { "x-hub-signature-256": "sha256=" + "0".repeat(64), "x-github-event": "push" }]) {
          const { status, text } = await call(routeCase!, method, headers);
          expect([401, 404], `${method} /${route} ${JSON.stringify(headers)}: ${text}`).toContain(status);
        }
      }
    });
  });

  describe("public routes", () => {
    it.each(Object.entries(PUBLIC_ROUTES))("/%s exists and exports only its read-only methods", async (route, { methods }) => {
      const routeCase = ROUTES.find((r) => r.route === route);
      expect(routeCase, `stale public route ${route}: remove it from PUBLIC_ROUTES`).toBeDefined();
      expect(methods.filter((method) => MUTATING.includes(method))).toEqual([]);
      expect(exportedMethods(await importRoute(routeCase!.file))).toEqual(methods);
    });
  });

  it("does not fall back to the session cookie when a bad Bearer token is sent", async () => {
    const projects = ROUTES.find((r) => r.route === "api/projects")!;
    expect((await call(projects, "GET", { cookie: adminCookie, authorization: "Bearer lbt_not-a-token" })).status).toBe(401);
  });

  it("refuses an expired session (401) and its actor is gone", async () => {
    const user = await makeUser("BUILDER");
    const { token } = await createSession(user.id);
    await db.session.update({ where: { tokenHash: hashSecret(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const request = new Request(`http://${HOST}/api/projects`, { headers: { cookie: `lb_session=${token}` } });
    expect(await findActorForRequest(request)).toBeNull();
    const projects = ROUTES.find((r) => r.route === "api/projects")!;
    expect((await call(projects, "GET", { cookie: `lb_session=${token}` })).status).toBe(401);
  });

  it("refuses a revoked API token and records when a token was last used", async () => {
    const { token, apiToken } = await createApiToken({ name: `revoke-${unique()}`, role: "BUILDER", createdById: adminId });
    const projects = ROUTES.find((r) => r.route === "api/projects")!;
    expect((await call(projects, "GET", { authorization: `Bearer ${token}` })).status).toBe(200);
    const used = (await findApiTokens()).find((t) => t.id === apiToken.id)!;
    expect(used.lastUsedAt).not.toBeNull();
    expect(used.prefix).toBe(token.slice(0, 10));
    await revokeApiToken(apiToken.id);
    expect((await call(projects, "GET", { authorization: `Bearer ${token}` })).status).toBe(401);
    await expect(revokeApiToken(apiToken.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(stored.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  describe("sign-in", () => {
    it("rate-limits an email after 5 wrong passwords, even with the right one next", async () => {
      const user = await makeUser("VIEWER", "the-right-password");
      const clientKey = `test-${unique()}`;
      for (let i = 0; i < 5; i += 1)
        await expect(signIn({ email: user.email, password: `wrong-${i}`, clientKey })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
      await expect(signIn({ email: user.email, password: "the-right-password", clientKey })).rejects.toMatchObject({ code: "RATE_LIMITED" });
      // From another address too: the limit is per email as well as per client.
      await expect(signIn({ email: user.email.toUpperCase(), password: "the-right-password", clientKey: `other-${unique()}` })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    });

    it("rate-limits a client address that tries many emails", async () => {
      const user = await makeUser("VIEWER", "the-right-password");
      const clientKey = `test-${unique()}`;
      for (let i = 0; i < 5; i += 1)
        await expect(signIn({ email: `nobody-${i}-${unique()}@security.test`, password: "x", clientKey })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
      await expect(signIn({ email: user.email, password: "the-right-password", clientKey })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    });

    it("gives the same answer for an unknown email and a wrong password", async () => {
      const user = await makeUser("VIEWER");
      const unknown = await signIn({ email: `ghost-${unique()}@security.test`, password: "x", clientKey: `t-${unique()}` }).catch((e: Error) => e.message);
      const wrong = await signIn({ email: user.email, password: "x", clientKey: `t-${unique()}` }).catch((e: Error) => e.message);
      expect(unknown).toBe(wrong);
    });

    it("signs in with the right password and stores only the session's hash", async () => {
      const user = await makeUser("VIEWER", "the-right-password");
      const session = await signIn({ email: user.email, password: "the-right-password", clientKey: `t-${unique()}` });
      expect(await db.session.findUnique({ where: { tokenHash: session.token } })).toBeNull();
      expect(await db.session.findUnique({ where: { tokenHash: hashSecret(session.token) } })).not.toBeNull();
    });

    it("stores an argon2id hash, never the password", async () => {
      const password = `secret-${unique()}-password`;
      const user = await makeUser("VIEWER", password);
      const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain(password);
      expect(await verifyPassword(row.passwordHash, password)).toBe(true);
      expect(await verifyPassword(row.passwordHash, `${password}x`)).toBe(false);
    });
  });

  describe("user management", () => {
    it("changes a role, refuses changing your own and keeps sessions following the new role", async () => {
      const admin = await makeUser("ADMIN");
      const user = await makeUser("VIEWER");
      const { token } = await createSession(user.id);
      await updateUserRole({ id: user.id, role: "BUILDER", actingUserId: admin.id });
      const actor = await findActorForRequest(new Request(`http://${HOST}/`, { headers: { cookie: `lb_session=${token}` } }));
      expect(actor?.role).toBe("BUILDER");
      await expect(updateUserRole({ id: admin.id, role: "VIEWER", actingUserId: admin.id })).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(updateUserRole({ id: "nonexistent", role: "VIEWER", actingUserId: admin.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("refuses deleting yourself; deleting a user ends their sessions and tokens", async () => {
      const admin = await makeUser("ADMIN");
      await expect(deleteUser({ id: admin.id, actingUserId: admin.id })).rejects.toMatchObject({ code: "CONFLICT" });
      const user = await makeUser("BUILDER");
      const { token } = await createSession(user.id);
      const apiToken = await createApiToken({ name: `del-${unique()}`, role: "BUILDER", createdById: user.id });
      await deleteUser({ id: user.id, actingUserId: admin.id });
      expect(await findActorForRequest(new Request(`http://${HOST}/`, { headers: { cookie: `lb_session=${token}` } }))).toBeNull();
      expect(await findActorForRequest(new Request(`http://${HOST}/`, { headers: { authorization: `Bearer ${apiToken.token}` } }))).toBeNull();
    });

    it("never demotes or deletes the last administrator, even when two requests race", async () => {
      // Leave exactly two admins (other files' admins are put back afterwards).
      const others = await db.user.findMany({ where: { role: "ADMIN" }, select: { id: true } });
      const first = await makeUser("ADMIN");
      const second = await makeUser("ADMIN");
      const bystander = await makeUser("VIEWER");
      await db.user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { role: "BUILDER" } });
      try {
        const results = await Promise.allSettled([
          updateUserRole({ id: first.id, role: "VIEWER", actingUserId: bystander.id }),
          deleteUser({ id: second.id, actingUserId: bystander.id }),
        ]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
        expect(await db.user.count({ where: { role: "ADMIN" } })).toBe(1);
        const [last] = await db.user.findMany({ where: { role: "ADMIN" } });
        await expect(updateUserRole({ id: last.id, role: "BUILDER", actingUserId: bystander.id })).rejects.toMatchObject({ code: "CONFLICT" });
        await expect(deleteUser({ id: last.id, actingUserId: bystander.id })).rejects.toMatchObject({ code: "CONFLICT" });
      } finally {
        await db.user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { role: "ADMIN" } });
      }
    });
  });
});
