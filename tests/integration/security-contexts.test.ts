// Issue 14, attack rows 7 and 10: hostile git URLs refused at project creation, a Dockerfile
// that is a symlink out of its context refused with one message whatever the target (git clone
// and uploaded archive), and the smoke container run with least privilege.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createUser } from "@/lib/data/users";
import { createApiToken } from "@/lib/data/api-tokens";
import { callRoute } from "@/lib/harness/call-route";
import { openContext, readDockerfileInContext } from "@/lib/builds/context/open-context";
import { buildTar } from "@/lib/builds/context/test-helpers";
import { runSmoke } from "@/lib/docker/smoke-run";
import { getLauncherEnv } from "@/lib/env";
import * as projectsRoute from "@/app/api/projects/route";
import * as archivesRoute from "@/app/api/context-archives/route";
import * as variantsRoute from "@/app/api/projects/[id]/variants/route";

const runId = Math.random().toString(36).slice(2, 8);
const BASE_IMAGE = getLauncherEnv().LAYERBOARD_BASE_IMAGE;
let adminToken = "";
const tempDirs: string[] = [];

beforeAll(async () => {
  const admin = await createUser({ email: `ctx-admin-${runId}@example.com`, name: "Context admin", password: "context-admin-password", role: "ADMIN" });
  adminToken = (await createApiToken({ name: "ctx admin", role: "ADMIN", createdById: admin.id })).token;
});

afterAll(async () => {
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
  await db.$disconnect();
});

const errorOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error & { code?: string },
  );
  expect(error, "expected a refusal").not.toBeNull();
  return error!;
};

describe("hostile git URLs at project creation", () => {
  const HOSTILE = [
    "ssh://[-oProxyCommand=touch /tmp/lb-pwned]/x",
    "ssh://[-oProxyCommand=touch%20/tmp/lb-pwned]/x",
    "ssh://%2doProxyCommand=touch%20/tmp/lb-pwned/x",
    "ssh://-oProxyCommand=id/x",
    "ssh://%2doProxyCommand=id@host/x",
    "git@-oProxyCommand=touch%20/tmp/lb-pwned:x",
    "git@host:-x",
    "ext::sh -c touch% /tmp/lb-pwned",
    "ext::sh",
    "file://-oProxyCommand=id/x",
    "file:///-x",
    "--upload-pack=touch /tmp/lb-pwned",
  ];

  it.each(HOSTILE)("refuses %j with 400 naming gitUrl and saves nothing", async (gitUrl) => {
    const before = await db.project.count();
    const slug = `hostile-${runId}-${Math.random().toString(36).slice(2, 8)}`;
    const response = await callRoute(projectsRoute.POST, {
      method: "POST",
      url: "/api/projects",
      token: adminToken,
      body: { name: "hostile", slug, contextKind: "GIT", gitUrl },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("VALIDATION");
    expect(body.error.message).toMatch(/^gitUrl: /);
    expect(await db.project.count()).toBe(before);
    expect(await db.project.findUnique({ where: { slug } })).toBeNull();
  });

  it("still accepts a legitimate file:// URL", async () => {
    const slug = `legit-${runId}`;
    const response = await callRoute(projectsRoute.POST, {
      method: "POST",
      url: "/api/projects",
      token: adminToken,
      body: { name: "legit", slug, contextKind: "GIT", gitUrl: "file:///tmp/some-repo.git" },
    });
    expect(response.status).toBe(201);
    expect(await db.project.findUnique({ where: { slug } })).not.toBeNull();
  });
});

describe("a Dockerfile that is a symlink out of the context", () => {
  const TARGETS = ["/etc/passwd", "/nonexistent"];

  it("directory context (the attack): the same refusal for a link to an existing and to a missing host file", async () => {
    const messages: string[] = [];
    for (const target of TARGETS) {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lb-ctx-dir-"));
      tempDirs.push(dir);
      await fs.writeFile(path.join(dir, "app.txt"), "hello\n");
      await fs.symlink(target, path.join(dir, "Dockerfile"));
      const context = await openContext({ kind: "DIRECTORY", path: dir }, { roots: [path.dirname(dir)] });
      try {
        const error = await errorOf(readDockerfileInContext(context.dir, "Dockerfile"));
        expect(error.code).toBe("CONTEXT_REFUSED");
        messages.push(error.message);
      } finally {
        await context.cleanup();
      }
    }
    expect(messages).toEqual(["Dockerfile not found: Dockerfile", "Dockerfile not found: Dockerfile"]);
  });

  it("git context: the same refusal for a link to an existing and to a missing host file", async () => {
    const messages: string[] = [];
    for (const target of TARGETS) {
      const repo = await fs.mkdtemp(path.join(os.tmpdir(), "lb-ctx-git-"));
      tempDirs.push(repo);
      const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: repo, encoding: "utf8" });
      git("init", "--quiet", "--initial-branch=main");
      await fs.writeFile(path.join(repo, "app.txt"), "hello\n");
      await fs.symlink(target, path.join(repo, "Dockerfile"));
      git("add", "-A");
      git("commit", "--quiet", "-m", "symlinked Dockerfile");
      const context = await openContext({ kind: "GIT", url: `file://${repo}`, ref: "main" });
      try {
        expect((await fs.lstat(path.join(context.dir, "Dockerfile"))).isSymbolicLink()).toBe(true);
        // The check run-build makes on every context kind before anything goes to the engine.
        const error = await errorOf(readDockerfileInContext(context.dir, "Dockerfile"));
        expect(error.code).toBe("CONTEXT_REFUSED");
        messages.push(error.message);
      } finally {
        await context.cleanup();
      }
    }
    expect(messages[0]).toBe("Dockerfile not found: Dockerfile");
    expect(messages[1]).toBe(messages[0]);
    // And a file that really is missing gets the same words.
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), "lb-ctx-empty-"));
    tempDirs.push(empty);
    expect((await errorOf(readDockerfileInContext(empty, "Dockerfile"))).message).toBe(messages[0]);
  });

  it("archive context: the same 400 for a link to an existing and to a missing host file, nothing stored", async () => {
    const messages: string[] = [];
    for (const target of TARGETS) {
      const before = await db.contextArchive.count();
      const data = await buildTar(
        [
          { name: "app.txt", content: "hello\n" },
          { name: "Dockerfile", type: "symlink", linkname: target },
        ],
        { gzip: true },
      );
      const form = new FormData();
      form.append("archive", new File([new Uint8Array(data)], "context.tar.gz", { type: "application/gzip" }));
      const response = await archivesRoute.POST(
        new Request("http://localhost/api/context-archives", { method: "POST", headers: { authorization: `Bearer ${adminToken}` }, body: form }),
        { params: Promise.resolve({}) },
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("CONTEXT_REFUSED");
      expect(body.error.message).not.toContain(target);
      messages.push(body.error.message);
      expect(await db.contextArchive.count()).toBe(before);
    }
    expect(messages[0]).toBe("Archive context.tar.gz refused: symlink Dockerfile points outside the archive");
    expect(messages[1]).toBe(messages[0]);
  });
});

describe("smoke container with least privilege", () => {
  const smoke = (script: string) => runSmoke(BASE_IMAGE, { command: ["sh", "-c", script], timeoutMs: 30_000 });

  it("writes to /tmp", async () => {
    const outcome = await smoke("echo ok > /tmp/probe && cat /tmp/probe");
    expect(outcome.error).toBeNull();
    expect(outcome.exitCode).toBe(0);
    expect(outcome.runs).toBe(true);
    expect(outcome.outputTail).toContain("ok");
  });

  it("cannot write to the root filesystem", async () => {
    const outcome = await smoke("echo x > /probe");
    expect(outcome.runs).toBe(false);
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.outputTail).toMatch(/read-only file system/i);
  });

  it("has no capabilities: chown to another user fails, even as root", async () => {
    // One stream for both: the engine keeps the order of lines within stdout, not across stdout and stderr.
    const outcome = await smoke("id -u; touch /tmp/f && chown 1234:1234 /tmp/f 2>&1");
    expect(outcome.outputHead.split("\n")[0]).toBe("0");
    expect(outcome.runs).toBe(false);
    expect(outcome.outputTail).toMatch(/operation not permitted/i);
  });

  it("has no capabilities: the effective capability set is empty", async () => {
    const outcome = await smoke("grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status");
    expect(outcome.runs).toBe(true);
    expect(outcome.outputTail).toMatch(/CapEff:\s+0000000000000000/);
    expect(outcome.outputTail).toMatch(/CapBnd:\s+0000000000000000/);
    expect(outcome.outputTail).toMatch(/NoNewPrivs:\s+1/);
  });

  it("has a process limit", async () => {
    const outcome = await smoke("cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max");
    expect(outcome.runs).toBe(true);
    expect(outcome.outputTail.trim()).toBe("256");
  });

  it("RELAXED runs with the engine's defaults: the root filesystem is writable", async () => {
    const outcome = await runSmoke(BASE_IMAGE, { command: ["sh", "-c", "echo x > /probe && cat /probe"], privileges: "RELAXED" });
    expect(outcome.error).toBeNull();
    expect(outcome.runs).toBe(true);
  });

  it("a variant is STRICT unless set RELAXED; another value is a 400 naming the field", async () => {
    const project = await callRoute(projectsRoute.POST, {
      method: "POST",
      url: "/api/projects",
      token: adminToken,
      body: { name: "smoke privileges", slug: `smoke-priv-${runId}`, contextKind: "GIT", gitUrl: "file:///tmp/some-repo.git" },
    });
    expect(project.status).toBe(201);
    const projectId = ((await project.json()) as { project: { id: string } }).project.id;
    const post = (body: Record<string, unknown>) =>
      callRoute(variantsRoute.POST, { method: "POST", url: `/api/projects/${projectId}/variants`, token: adminToken, params: { id: projectId }, body });
    const strict = await post({ name: "default" });
    expect(strict.status).toBe(201);
    expect(((await strict.json()) as { variant: { smokePrivileges: string } }).variant.smokePrivileges).toBe("STRICT");
    const relaxed = await post({ name: "relaxed", smokePrivileges: "RELAXED" });
    expect(relaxed.status).toBe(201);
    expect(((await relaxed.json()) as { variant: { smokePrivileges: string } }).variant.smokePrivileges).toBe("RELAXED");
    const before = await db.variant.count({ where: { projectId } });
    const bad = await post({ name: "bad", smokePrivileges: "ROOT" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("smokePrivileges");
    expect(await db.variant.count({ where: { projectId } })).toBe(before);
  });
});
