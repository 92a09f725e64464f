// Managing what was made (issue 13, item 1) through the API, on a real Postgres and engine:
// edit, archive, delete and reorder projects and variants (admins only, validation errors
// naming the field), the Dockerfile check on save, and password changes revoking sessions.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Read once by getEnv() on first use: set before anything calls it, restored at the end.
const savedRoots = process.env.LAYERBOARD_CONTEXT_ROOTS;
const ROOT = realpathSync(mkdtempSync(path.join(os.tmpdir(), "lb-h13-manage-root-")));
const OUTSIDE = realpathSync(mkdtempSync(path.join(os.tmpdir(), "lb-h13-manage-outside-")));
process.env.LAYERBOARD_CONTEXT_ROOTS = ROOT;

const { db } = await import("@/lib/db");
const { createUser, createSession, signIn } = await import("@/lib/data/users");
const { createApiToken } = await import("@/lib/data/api-tokens");
const { startComparison } = await import("@/lib/builds/start-comparison");
const { requestBuildCancel } = await import("@/lib/data/build-status");
const { hashSecret } = await import("@/lib/auth/tokens");
const { callRoute } = await import("@/lib/harness/call-route");
const projectsRoute = await import("@/app/api/projects/route");
const projectRoute = await import("@/app/api/projects/[id]/route");
const variantsRoute = await import("@/app/api/projects/[id]/variants/route");
const orderRoute = await import("@/app/api/projects/[id]/variants/order/route");
const variantRoute = await import("@/app/api/variants/[id]/route");
const ownPasswordRoute = await import("@/app/api/users/me/password/route");
const resetPasswordRoute = await import("@/app/api/users/[id]/password/route");

const BASE_IMAGE = process.env.LAYERBOARD_BASE_IMAGE ?? "layerboard/bookworm-base:local";
const runId = randomBytes(3).toString("hex");
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (request: Request, context: { params: Promise<any> }) => Promise<Response>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The context: a Dockerfile, a runtime Dockerfile, a directory named like a file, and a symlink
// that leads out of the context to a real Dockerfile.
const CONTEXT = path.join(ROOT, "app");
mkdirSync(path.join(CONTEXT, "docker", "not-a-file"), { recursive: true });
writeFileSync(path.join(CONTEXT, "Dockerfile"), `FROM ${BASE_IMAGE}\nCMD ["true"]\n`);
writeFileSync(path.join(CONTEXT, "docker", "Dockerfile.runtime"), `FROM ${BASE_IMAGE}\n`);
writeFileSync(path.join(OUTSIDE, "Dockerfile"), `FROM ${BASE_IMAGE}\n`);
symlinkSync(path.join(OUTSIDE, "Dockerfile"), path.join(CONTEXT, "Dockerfile.escape"));

let adminToken: string;
let builderToken: string;

const api = async (handler: Handler, method: string, url: string, params: Record<string, string>, body?: unknown, token = adminToken) => {
  const response = await callRoute(handler, { method, url, token, params, body });
  return { status: response.status, body: (await response.json()) as Json };
};
const issuePaths = (body: Json) => (body.error?.issues ?? []).map((issue: { path: string }) => issue.path);

const createProject = async (slug: string) => {
  const { status, body } = await api(projectsRoute.POST, "POST", "/api/projects", {}, { name: slug, slug, contextKind: "DIRECTORY", contextPath: "app" });
  expect(status).toBe(201);
  return body.project.id as string;
};
const createVariant = async (projectId: string, variant: Json) => {
  const { status, body } = await api(variantsRoute.POST, "POST", `/api/projects/${projectId}/variants`, { id: projectId }, variant);
  expect(status, JSON.stringify(body)).toBe(201);
  return body.variant.id as string;
};

beforeAll(async () => {
  const admin = await createUser({ email: `admin-${runId}@manage.test`, name: "Admin", password: "admin-password-1", role: "ADMIN" });
  adminToken = (await createApiToken({ name: `admin-${runId}`, role: "ADMIN", createdById: admin.id })).token;
  builderToken = (await createApiToken({ name: `builder-${runId}`, role: "BUILDER", createdById: admin.id })).token;
});

afterAll(async () => {
  if (savedRoots === undefined) delete process.env.LAYERBOARD_CONTEXT_ROOTS;
  else process.env.LAYERBOARD_CONTEXT_ROOTS = savedRoots;
  for (const dir of [ROOT, OUTSIDE]) rmSync(dir, { recursive: true, force: true });
  await db.$disconnect();
});

describe("projects", () => {
  it("an admin edits a project's name, description and context; a bad context names its field; the slug stays", async () => {
    const id = await createProject(`edit-${runId}`);
    const edited = await api(projectRoute.PATCH, "PATCH", `/api/projects/${id}`, { id }, { name: "Renamed", description: "now described" });
    expect(edited.status).toBe(200);
    expect(edited.body.project).toMatchObject({ name: "Renamed", description: "now described", slug: `edit-${runId}`, contextPath: "app" });

    const outside = await api(projectRoute.PATCH, "PATCH", `/api/projects/${id}`, { id }, { contextPath: OUTSIDE });
    expect(outside.status).toBe(400);
    expect(issuePaths(outside.body)).toEqual(["contextPath"]);
    expect(outside.body.error.issues[0].message).toMatch(/outside the allowed roots/);

    for (const body of [{ slug: "other" }, { name: "" }, {}]) {
      const refused = await api(projectRoute.PATCH, "PATCH", `/api/projects/${id}`, { id }, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    const bad = await api(projectRoute.PATCH, "PATCH", `/api/projects/${id}`, { id }, { name: "" });
    expect(issuePaths(bad.body)).toEqual(["name"]);

    expect((await api(projectRoute.PATCH, "PATCH", `/api/projects/${id}`, { id }, { name: "builder's" }, builderToken)).status).toBe(403);
    expect((await api(projectRoute.DELETE, "DELETE", `/api/projects/${id}`, { id }, undefined, builderToken)).status).toBe(403);
    expect(await db.project.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Renamed", contextPath: "app", slug: `edit-${runId}` });
  });

  it("an archived project leaves the project list, keeps its record and refuses new builds; restoring brings it back", async () => {
    const id = await createProject(`archive-${runId}`);
    const variantId = await createVariant(id, { name: "only" });
    expect((await api(projectRoute.PATCH, "PATCH", `/api/projects/${id}`, { id }, { archived: true })).body.project.archivedAt).not.toBeNull();
    const list = await api(projectsRoute.GET, "GET", "/api/projects", {});
    expect(list.body.projects.map((p: Json) => p.id)).not.toContain(id);
    await expect(startComparison(id)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.build.count({ where: { variantId } })).toBe(0);
    expect((await api(projectRoute.PATCH, "PATCH", `/api/projects/${id}`, { id }, { archived: false })).body.project.archivedAt).toBeNull();
    expect((await api(projectsRoute.GET, "GET", "/api/projects", {})).body.projects.map((p: Json) => p.id)).toContain(id);
  });
});

describe("variants", () => {
  it("saving a variant checks its Dockerfiles in the directory context at once, field by field (symlinks out refused)", async () => {
    const id = await createProject(`files-${runId}`);
    const post = (body: Json) => api(variantsRoute.POST, "POST", `/api/projects/${id}/variants`, { id }, body);
    const missing = await post({ name: "missing", dockerfile: "Dockerfile.nope" });
    expect(missing.status).toBe(400);
    expect(issuePaths(missing.body)).toEqual(["dockerfile"]);
    expect(missing.body.error.issues[0].message).toBe("Dockerfile.nope was not found in the build context (app)");

    const both = await post({ name: "both", strategy: "BUILDER_PATTERN", dockerfile: "docker/not-a-file", runtimeDockerfile: "Dockerfile.runtime", artifactPath: "/out/a.tgz" });
    expect(both.status).toBe(400);
    expect(Object.fromEntries(both.body.error.issues.map((i: Json) => [i.path, i.message]))).toEqual({
      dockerfile: "docker/not-a-file is not a file in the build context",
      runtimeDockerfile: "Dockerfile.runtime was not found in the build context (app)",
    });
    const escape = await post({ name: "escape", dockerfile: "Dockerfile.escape" });
    expect(escape.status).toBe(400);
    expect(escape.body.error.issues[0]).toMatchObject({ path: "dockerfile", message: "Dockerfile.escape was not found in the build context (app)" });
    const noRuntime = await post({ name: "no-runtime", strategy: "BUILDER_PATTERN" });
    expect(issuePaths(noRuntime.body).sort()).toEqual(["artifactPath", "runtimeDockerfile"]);
    expect(await db.variant.count({ where: { projectId: id } })).toBe(0);

    await createVariant(id, { name: "builder", strategy: "BUILDER_PATTERN", runtimeDockerfile: "docker/Dockerfile.runtime", artifactPath: "/out/a.tgz" });
    const variantId = await createVariant(id, { name: "plain" });
    const moved = await api(variantRoute.PATCH, "PATCH", `/api/variants/${variantId}`, { id: variantId }, { dockerfile: "gone/Dockerfile" });
    expect(moved.status).toBe(400);
    expect(issuePaths(moved.body)).toEqual(["dockerfile"]);
  });

  it("an admin edits every field; builds keep their frozen settings; a secret sent back as *** keeps its value; errors name the field", async () => {
    const id = await createProject(`vedit-${runId}`);
    const variantId = await createVariant(id, { name: "first", buildArgs: { API_TOKEN: "s3cret-value", MODE: "a" }, smokeCommand: ["true"] });
    const build = await db.build.create({
      data: { projectId: id, variantId, status: "SUCCEEDED", settings: { name: "first", dockerfile: "Dockerfile", buildArgs: { MODE: "a" } } },
    });
    const patch = (body: Json, token = adminToken) => api(variantRoute.PATCH, "PATCH", `/api/variants/${variantId}`, { id: variantId }, body, token);

    const edited = await patch({ name: "renamed", target: "final", buildArgs: { API_TOKEN: "***", MODE: "b" }, smokeCommand: null, sizeBudgetBytes: 5_000_000, builder: "CLASSIC", noCache: true, smokePrivileges: "RELAXED" });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.variant).toMatchObject({ name: "renamed", target: "final", buildArgs: { API_TOKEN: "***", MODE: "b" }, smokeCommand: null, sizeBudgetBytes: 5_000_000, builder: "CLASSIC", noCache: true, smokePrivileges: "RELAXED" });
    const row = await db.variant.findUniqueOrThrow({ where: { id: variantId } });
    expect(row.buildArgs).toEqual({ API_TOKEN: "s3cret-value", MODE: "b" });
    expect(row.smokeCommand).toBeNull();
    expect((await db.build.findUniqueOrThrow({ where: { id: build.id } })).settings).toEqual({ name: "first", dockerfile: "Dockerfile", buildArgs: { MODE: "a" } });

    const newSecret = await patch({ buildArgs: { API_TOKEN: "replaced-value" } });
    expect(newSecret.status).toBe(200);
    expect((await db.variant.findUniqueOrThrow({ where: { id: variantId } })).buildArgs).toEqual({ API_TOKEN: "replaced-value" });

    for (const [body, field] of [
      [{ sizeBudgetBytes: -1 }, "sizeBudgetBytes"],
      [{ buildArgs: { "BAD NAME": "x" } }, "buildArgs.BAD NAME"],
      [{ dockerfile: "../outside" }, "dockerfile"],
      [{ artifactPath: "relative" }, "artifactPath"],
      [{ strategy: "FASTEST" }, "strategy"],
    ] as const) {
      const refused = await patch(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(issuePaths(refused.body), JSON.stringify(body)).toEqual([field]);
    }
    const unknown = await patch({ colour: "red" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/colour/);
    await createVariant(id, { name: "taken" });
    expect((await patch({ name: "taken" })).status).toBe(409);
    expect((await patch({ name: "by a builder" }, builderToken)).status).toBe(403);
    expect((await api(variantRoute.DELETE, "DELETE", `/api/variants/${variantId}`, { id: variantId }, undefined, builderToken)).status).toBe(403);
    expect((await db.variant.findUniqueOrThrow({ where: { id: variantId } })).name).toBe("renamed");
  });

  it("reorders variants, used by the project and by the comparison; a wrong list names variantIds", async () => {
    const id = await createProject(`order-${runId}`);
    const ids = [await createVariant(id, { name: "a" }), await createVariant(id, { name: "b" }), await createVariant(id, { name: "c" })];
    const order = (variantIds: string[], token = adminToken) => api(orderRoute.POST, "POST", `/api/projects/${id}/variants/order`, { id }, { variantIds }, token);
    const reordered = await order([ids[2], ids[0], ids[1]]);
    expect(reordered.status).toBe(200);
    expect(reordered.body.variants.map((v: Json) => [v.name, v.position])).toEqual([["c", 0], ["a", 1], ["b", 2]]);
    expect((await api(projectRoute.GET, "GET", `/api/projects/${id}`, { id })).body.project.variants.map((v: Json) => v.name)).toEqual(["c", "a", "b"]);

    for (const wrong of [[ids[0], ids[1]], [...ids, "nonexistent"], [ids[0], ids[0], ids[1], ids[2]]]) {
      const refused = await order(wrong);
      expect(refused.status, JSON.stringify(wrong)).toBe(400);
      expect(issuePaths(refused.body)).toEqual(["variantIds"]);
    }
    expect((await order([ids[0], ids[1], ids[2]], builderToken)).status).toBe(403);
    expect((await db.variant.findMany({ where: { projectId: id }, orderBy: { position: "asc" } })).map((v) => v.name)).toEqual(["c", "a", "b"]);
  });

  it("an archived or deleted variant no longer joins Compare all variants; a delete says what went with it and removes its image", async () => {
    const id = await createProject(`compare-${runId}`);
    const [keep, archive, remove] = [await createVariant(id, { name: "keep" }), await createVariant(id, { name: "archive" }), await createVariant(id, { name: "remove" })];
    // A finished build of `remove` with an image tag on the engine and a share link.
    const tag = `lb-h13-manage-delete:${runId}`;
    execFileSync("docker", ["tag", BASE_IMAGE, tag]);
    const old = await db.build.create({ data: { projectId: id, variantId: remove, status: "SUCCEEDED", imageTag: tag, imageId: "sha256:x", settings: {} } });
    await db.shareLink.create({ data: { tokenHash: hashSecret(`lbr_${runId}`), kind: "build", buildId: old.id, title: "old", snapshot: {} } });

    const archived = await api(variantRoute.PATCH, "PATCH", `/api/variants/${archive}`, { id: archive }, { archived: true });
    expect(archived.body.variant.archivedAt).not.toBeNull();
    const dependents = await api(variantRoute.GET, "GET", `/api/variants/${remove}?dependents=1`, { id: remove });
    expect(dependents.body.dependents).toMatchObject({ builds: 1, shareLinks: 1, images: 1 });
    const deleted = await api(variantRoute.DELETE, "DELETE", `/api/variants/${remove}`, { id: remove });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ deleted: { builds: 1, shareLinks: 1, images: 1 }, images: { removed: 1, left: 0 }, projectId: id });
    expect(await db.build.count({ where: { id: old.id } })).toBe(0);
    expect(await db.shareLink.count({ where: { buildId: old.id } })).toBe(0);
    expect(execFileSync("docker", ["images", "-q", tag]).toString().trim()).toBe("");

    expect((await api(projectRoute.GET, "GET", `/api/projects/${id}`, { id })).body.project.variants.map((v: Json) => v.name)).toEqual(["keep"]);
    expect((await api(projectRoute.GET, "GET", `/api/projects/${id}?archived=1`, { id })).body.project.variants.map((v: Json) => v.name)).toEqual(["keep", "archive"]);
    const comparison = await startComparison(id);
    try {
      expect(comparison.builds.map((b) => b.variantId)).toEqual([keep]);
    } finally {
      for (const b of comparison.builds) await requestBuildCancel(b.id);
    }
  });

  it("deleting a project removes its variants, builds, comparisons and share links", async () => {
    const id = await createProject(`delete-${runId}`);
    const variantId = await createVariant(id, { name: "v" });
    const comparison = await db.comparison.create({ data: { projectId: id } });
    const build = await db.build.create({ data: { projectId: id, variantId, comparisonId: comparison.id, status: "FAILED", settings: {} } });
    await db.shareLink.create({ data: { tokenHash: hashSecret(`lbr_c_${runId}`), kind: "comparison", comparisonId: comparison.id, title: "c", snapshot: {} } });
    const before = await api(projectRoute.GET, "GET", `/api/projects/${id}?dependents=1`, { id });
    expect(before.body.dependents).toMatchObject({ variants: 1, builds: 1, comparisons: 1, shareLinks: 1, images: 0 });
    const deleted = await api(projectRoute.DELETE, "DELETE", `/api/projects/${id}`, { id });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted).toMatchObject({ variants: 1, builds: 1, comparisons: 1, shareLinks: 1 });
    expect(await db.project.count({ where: { id } })).toBe(0);
    expect(await db.build.count({ where: { id: build.id } })).toBe(0);
    expect(await db.shareLink.count({ where: { comparisonId: comparison.id } })).toBe(0);
    expect((await api(projectRoute.GET, "GET", `/api/projects/${id}`, { id })).status).toBe(404);
  });
});

describe("passwords", () => {
  const cookieCall = async (handler: Handler, url: string, params: Record<string, string>, cookie: string, body: unknown) => {
    const response = await callRoute(handler, { method: "POST", url, params, body, headers: { cookie: `lb_session=${cookie}` } });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const sessionExists = async (token: string) => (await db.session.count({ where: { tokenHash: hashSecret(token) } })) === 1;

  it("a user changes their own password with the current one; their other sessions end, this one stays", async () => {
    const email = `viewer-${runId}@manage.test`;
    const user = await createUser({ email, name: "Viewer", password: "old-password-1", role: "VIEWER" });
    const [current, other] = [(await createSession(user.id)).token, (await createSession(user.id)).token];
    const change = (body: Json) => cookieCall(ownPasswordRoute.POST, "/api/users/me/password", {}, current, body);

    const wrong = await change({ currentPassword: "not-it", newPassword: "new-password-1" });
    expect(wrong.status).toBe(400);
    expect(issuePaths(wrong.body)).toEqual(["currentPassword"]);
    const short = await change({ currentPassword: "old-password-1", newPassword: "short" });
    expect(short.status).toBe(400);
    expect(short.body.error.issues[0]).toMatchObject({ path: "newPassword", message: "the new password needs at least 10 characters" });
    expect(await sessionExists(other)).toBe(true);

    const changed = await change({ currentPassword: "old-password-1", newPassword: "new-password-1" });
    expect(changed).toMatchObject({ status: 200, body: { revokedSessions: 1 } });
    expect(await sessionExists(current)).toBe(true);
    expect(await sessionExists(other)).toBe(false);
    await expect(signIn({ email, password: "old-password-1", clientKey: null })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect((await signIn({ email, password: "new-password-1", clientKey: null })).token).toMatch(/^lbs_/);

    const byToken = await callRoute(ownPasswordRoute.POST as Handler, { method: "POST", url: "/api/users/me/password", token: builderToken, body: { currentPassword: "x", newPassword: "new-password-2" } });
    expect(byToken.status).toBe(403);
  });

  it("an admin resets another user's password and every session of that user ends; others may not", async () => {
    const admin = await createUser({ email: `reset-admin-${runId}@manage.test`, name: "Reset admin", password: "admin-password-2", role: "ADMIN" });
    const adminSession = (await createSession(admin.id)).token;
    const email = `builder-${runId}@manage.test`;
    const user = await createUser({ email, name: "Builder", password: "builder-password-1", role: "BUILDER" });
    const userSession = (await createSession(user.id)).token;
    const url = `/api/users/${user.id}/password`;

    const short = await cookieCall(resetPasswordRoute.POST, url, { id: user.id }, adminSession, { newPassword: "short" });
    expect(issuePaths(short.body)).toEqual(["newPassword"]);
    expect((await cookieCall(resetPasswordRoute.POST, `/api/users/${admin.id}/password`, { id: admin.id }, adminSession, { newPassword: "another-password-1" })).status).toBe(409);
    expect((await cookieCall(resetPasswordRoute.POST, `/api/users/${admin.id}/password`, { id: admin.id }, userSession, { newPassword: "another-password-1" })).status).toBe(403);
    const byToken = await callRoute(resetPasswordRoute.POST as Handler, { method: "POST", url, token: adminToken, params: { id: user.id }, body: { newPassword: "token-password-1" } });
    expect(byToken.status).toBe(403);

    const reset = await cookieCall(resetPasswordRoute.POST, url, { id: user.id }, adminSession, { newPassword: "reset-password-1" });
    expect(reset).toMatchObject({ status: 200, body: { revokedSessions: 1 } });
    expect(await sessionExists(userSession)).toBe(false);
    expect(await sessionExists(adminSession)).toBe(true);
    expect((await signIn({ email, password: "reset-password-1", clientKey: null })).token).toMatch(/^lbs_/);
  });
});
