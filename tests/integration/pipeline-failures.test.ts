// Bad input through the real pipeline and the real route handlers: a failing Dockerfile is
// recorded as FAILED with its error and log; paths outside the context roots, unknown
// variants and invalid bodies are refused with a clear message and change nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { POST as postBuild } from "@/app/api/builds/route";
import { POST as postProject } from "@/app/api/projects/route";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import {
  BASE_IMAGE,
  callRoute,
  createDirectoryProject,
  imageExists,
  queueBuild,
  removeDir,
  usePipelineRun,
  waitForBuild,
  writeContext,
} from "../support/pipeline";

const run = usePipelineRun("ADMIN");
const { root, id, images } = run;
let worker: WorkerHandle | undefined;

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

describe("a Dockerfile whose RUN fails", () => {
  it("records the build as FAILED and keeps the error and the log", async () => {
    const dir = writeContext(root, `failing-${id}`, {
      Dockerfile: [
        `FROM ${BASE_IMAGE}`,
        `RUN echo "first step ${id}"`,
        `RUN echo "about to fail ${id}" && ls /does-not-exist-${id}`,
        `CMD ["true"]`,
      ].join("\n"),
    });
    const project = await createDirectoryProject(`failing-${id}`, dir, [{ name: "default" }]);
    worker ??= await startWorker({ concurrency: 1 });

    const response = await callRoute(postBuild, { method: "POST", url: "/api/builds", token: run.token, body: { variantId: project.variants[0].id } });
    expect(response.status).toBe(201);
    const { build: queued } = (await response.json()) as { build: { id: string; status: string } };
    expect(queued.status).toBe("QUEUED");

    const build = await waitForBuild(queued.id, undefined, 120_000);
    images.push(build.imageTag);
    expect(build.status).toBe("FAILED");
    expect(build.errorCode).toBe("BUILD_FAILED");
    expect(build.error).toContain(`ls /does-not-exist-${id}`);
    expect(build.error).toContain("exit code: 2");
    expect(build.finishedAt).not.toBeNull();
    expect(build.imageId).toBeNull();
    expect(build.imageTag && (await imageExists(build.imageTag))).toBe(false);

    const lines = await db.logLine.findMany({ where: { buildId: build.id }, orderBy: { seq: "asc" } });
    expect(lines.length).toBeGreaterThan(0);
    expect(build.logLines).toBe(lines.length);
    // seq is 1..n without gaps: the SSE resume id.
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    const texts = lines.map((l) => l.text);
    expect(texts).toContain(`first step ${id}`);
    expect(texts).toContain(`about to fail ${id}`);
    expect(lines.find((l) => l.text === `ls: cannot access '/does-not-exist-${id}': No such file or directory`)?.stream).toBe("stderr");
    expect(texts.at(-1)).toMatch(/^\[layerboard\] failed: .*exit code: 2/);

    const steps = await db.buildStep.findMany({ where: { buildId: build.id } });
    expect(steps.find((s) => s.name.includes(`ls /does-not-exist-${id}`))?.error).toContain("exit code: 2");
    expect(await db.smokeResult.count({ where: { buildId: build.id } })).toBe(0);
    expect(await db.layer.count({ where: { buildId: build.id } })).toBe(0);
  });
});

describe("a Dockerfile the context does not hold", () => {
  const buildOf = async (slug: string, dir: string) => {
    const project = await createDirectoryProject(slug, dir, [{ name: "default" }]);
    worker ??= await startWorker({ concurrency: 1 });
    return waitForBuild(await queueBuild(run.token, project.variants[0].id), undefined, 120_000);
  };

  it("refuses a Dockerfile symlinked to a host file outside the context like a missing one, and never reads it", async () => {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), "lb-host-"));
    try {
      fs.writeFileSync(path.join(host, "Dockerfile"), `FROM ${BASE_IMAGE}\nRUN echo "host file ${id}"\n`);
      const linked = writeContext(root, `linked-dockerfile-${id}`, { "hello.txt": "hi" });
      fs.symlinkSync(path.join(host, "Dockerfile"), path.join(linked, "Dockerfile"));
      const missing = writeContext(root, `missing-dockerfile-${id}`, { "hello.txt": "hi" });

      const refused = await buildOf(`linked-dockerfile-${id}`, linked);
      const absent = await buildOf(`missing-dockerfile-${id}`, missing);
      images.push(refused.imageTag, absent.imageTag);
      expect(refused).toMatchObject({ status: "FAILED", errorCode: "CONTEXT_REFUSED", error: absent.error });
      expect(absent).toMatchObject({ status: "FAILED", errorCode: "CONTEXT_REFUSED", error: "Dockerfile not found: Dockerfile" });
      const lines = await db.logLine.findMany({ where: { buildId: refused.id } });
      expect(lines.some((l) => l.text.includes(`host file ${id}`))).toBe(false);
      expect(await db.buildStep.count({ where: { buildId: refused.id } })).toBe(0);
    } finally {
      removeDir(host);
    }
  });
});

describe("POST /api/projects", () => {
  const attempt = async (slug: string, contextPath: string) => {
    const response = await callRoute(postProject, {
      method: "POST",
      url: "/api/projects",
      token: run.token,
      body: { name: slug, slug, contextKind: "DIRECTORY", contextPath },
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
  };

  it("refuses a relative path that climbs out of the roots and saves nothing", async () => {
    const slug = `escape-${id}`;
    const { status, body } = await attempt(slug, "../../etc");
    expect(status).toBe(400);
    expect(body.error?.code).toBe("CONTEXT_REFUSED");
    expect(body.error?.message).toContain("outside the allowed roots");
    expect(await db.project.count({ where: { slug } })).toBe(0);
  });

  it("refuses an absolute path outside the roots and saves nothing", async () => {
    const slug = `absolute-${id}`;
    const { status, body } = await attempt(slug, "/etc");
    expect(status).toBe(400);
    expect(body.error?.code).toBe("CONTEXT_REFUSED");
    expect(body.error?.message).toContain('"/etc"');
    expect(await db.project.count({ where: { slug } })).toBe(0);
  });

  it("accepts a directory under a root", async () => {
    writeContext(root, `ok-${id}`, { Dockerfile: `FROM ${BASE_IMAGE}\n` });
    const { status } = await attempt(`ok-${id}`, `ok-${id}`);
    expect(status).toBe(201);
    expect(await db.project.count({ where: { slug: `ok-${id}` } })).toBe(1);
  });
});

describe("POST /api/builds", () => {
  const post = async (body: unknown, rawBody?: string) => {
    const response = await callRoute(postBuild, { method: "POST", url: "/api/builds", token: run.token, body: rawBody === undefined ? body : undefined, rawBody });
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
  };

  it("refuses a variant whose project context is outside the roots and queues nothing", async () => {
    // Written straight to the database, as an old row or a changed LAYERBOARD_CONTEXT_ROOTS would leave it.
    const project = await createDirectoryProject(`outside-${id}`, "/etc", [{ name: "default" }]);
    const { status, body } = await post({ variantId: project.variants[0].id });
    expect(status).toBe(400);
    expect(body.error?.code).toBe("CONTEXT_REFUSED");
    expect(body.error?.message).toContain("outside the allowed roots");
    expect(await db.build.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("answers 404 for an unknown variant", async () => {
    const before = await db.build.count();
    const { status, body } = await post({ variantId: `nope${id}` });
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: "NOT_FOUND", message: `variant nope${id} not found` });
    expect(await db.build.count()).toBe(before);
  });

  it("answers 400 naming the field for an invalid body", async () => {
    const before = await db.build.count();
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe("VALIDATION");
    expect(missing.body.error?.message).toMatch(/^variantId: /);

    const malformed = await post({ variantId: "has spaces; and symbols" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.message).toBe("variantId: id has invalid characters");

    const notJson = await post(undefined, "{not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error?.message).toMatch(/^body: /);
    expect(await db.build.count()).toBe(before);
  });

  it("answers 401 without a token", async () => {
    const response = await callRoute(postBuild, { method: "POST", url: "/api/builds", body: { variantId: "x" } });
    expect(response.status).toBe(401);
  });
});
