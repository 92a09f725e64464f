// Setting up a new project end to end: a directory context under a temporary root, the four
// strategy variants generated from templates for another Python project with a C extension,
// built for real by an in-process worker; and the context-archive upload endpoint.
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Read once by getEnv() on first use: set before anything calls it, restored at the end
// (a forked test process can be reused by the next file).
const savedEnv = {
  roots: process.env.LAYERBOARD_CONTEXT_ROOTS,
  upload: process.env.LAYERBOARD_MAX_UPLOAD_BYTES,
  network: process.env.LAYERBOARD_NETWORK_MODE,
};
const ROOT = realpathSync(mkdtempSync(path.join(os.tmpdir(), "layerboard-setup-root-")));
const UPLOAD_LIMIT = 256 * 1024;
process.env.LAYERBOARD_CONTEXT_ROOTS = ROOT;
process.env.LAYERBOARD_MAX_UPLOAD_BYTES = String(UPLOAD_LIMIT);
// RUN apt-get needs a network: on a local engine whose default bridge is gone (docker0
// deleted), build on the host network, as the README says for engines without a bridge.
if (!process.env.LAYERBOARD_NETWORK_MODE && !process.env.DOCKER_HOST && spawnSync("ip", ["link", "show", "docker0"]).status !== 0) {
  console.warn("[project-setup] no docker0 bridge on this machine: building with LAYERBOARD_NETWORK_MODE=host");
  process.env.LAYERBOARD_NETWORK_MODE = "host";
}

const { db } = await import("@/lib/db");
const { getContextRoots, getEnv } = await import("@/lib/env");
const { createUser } = await import("@/lib/data/users");
const { createApiToken } = await import("@/lib/data/api-tokens");
const { startBuild } = await import("@/lib/builds/start-build");
const { attachContextArchive } = await import("@/lib/data/context-archives");
const { createProject, createVariant, getProject } = await import("@/lib/data/projects");
const { applyVariantTemplates, findTemplateTarget } = await import("@/lib/builds/apply-variant-templates");
const { startWorker } = await import("@/lib/builds/worker");
const { stopQueue } = await import("@/lib/builds/queue");
const { buildTar } = await import("@/lib/builds/context/test-helpers");
const projectsRoute = await import("@/app/api/projects/route");
const archivesRoute = await import("@/app/api/context-archives/route");

type WorkerHandle = Awaited<ReturnType<typeof startWorker>>;

const BASE_IMAGE = process.env.LAYERBOARD_BASE_IMAGE ?? "layerboard/bookworm-base:local";
const BUILD_TIMEOUT_MS = 25 * 60_000;

// Another Python project than examples/pyapp, in the same src/ layout (pyproject.toml for the
// metadata, setup.py for the extension). It links zlib: build needs zlib1g-dev, run libz.so.1.
const PYTHON_PROJECT: Record<string, string> = {
  "pyproject.toml": `[build-system]
requires = ["setuptools>=61", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "wordcrc"
version = "0.2.0"
requires-python = ">=3.9"
`,
  "setup.py": `from setuptools import Extension, setup

setup(
    package_dir={"": "src"},
    packages=["wordcrc"],
    ext_modules=[Extension("wordcrc._crc", sources=["src/wordcrc/_crc.c"], libraries=["z"])],
)
`,
  "src/wordcrc/__init__.py": "from wordcrc._crc import crc\n",
  "src/wordcrc/__main__.py": `import sys

from wordcrc import crc

words = "the same four variants for another project".split()
print(f"wordcrc ok: {len(words)} words, crc {crc(' '.join(words).encode()):08x}")
sys.exit(0)
`,
  "src/wordcrc/_crc.c": `#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <zlib.h>

static PyObject *crc(PyObject *self, PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    uLong value = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)data.buf, (uInt)data.len);
    PyBuffer_Release(&data);
    return PyLong_FromUnsignedLong(value);
}

static PyMethodDef methods[] = {{"crc", crc, METH_VARARGS, "zlib crc32"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_crc", NULL, -1, methods};
PyMODINIT_FUNC PyInit__crc(void) { return PyModule_Create(&module); }
`,
};
const ALL_STRATEGIES = ["SINGLE_STAGE", "MULTI_STAGE", "VENV_COPIES", "BUILDER_PATTERN"] as const;
const templateInput = {
  strategies: [...ALL_STRATEGIES],
  baseImage: BASE_IMAGE,
  appModule: "wordcrc",
  systemPackages: ["zlib1g-dev"],
  runtimePackages: ["zlib1g"],
};

const writeTree = async (root: string, files: Record<string, string>) => {
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fs.writeFile(path.join(root, name), content);
  }
};

const runId = Math.random().toString(36).slice(2, 8);
let adminToken = "";
let viewerToken = "";
let worker: WorkerHandle | undefined;
const builtImages: string[] = [];

const call = async (
  handler: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>,
  url: string,
  init: RequestInit & { duplex?: "half" },
) => {
  const response = await handler(new Request(`http://layerboard.test${url}`, init), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

const postProject = (body: unknown) =>
  call(projectsRoute.POST, "/api/projects", {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const uploadForm = (data: Buffer, filename: string) => {
  const form = new FormData();
  form.append("archive", new File([new Uint8Array(data)], filename, { type: "application/gzip" }));
  return form;
};

const upload = (data: Buffer, filename = "context.tar.gz", token = adminToken) =>
  call(archivesRoute.POST, "/api/context-archives", { method: "POST", headers: { authorization: `Bearer ${token}` }, body: uploadForm(data, filename) });

beforeAll(async () => {
  // Fails loudly if some earlier code read the environment before this file set it.
  expect(getContextRoots()).toEqual([ROOT]);
  expect(getEnv().LAYERBOARD_MAX_UPLOAD_BYTES).toBe(UPLOAD_LIMIT);
  const admin = await createUser({ email: `setup-admin-${runId}@example.com`, name: "Setup admin", password: "setup-admin-password", role: "ADMIN" });
  adminToken = (await createApiToken({ name: "setup admin", role: "ADMIN", createdById: admin.id })).token;
  viewerToken = (await createApiToken({ name: "setup viewer", role: "VIEWER", createdById: admin.id })).token;
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
  await stopQueue();
  await db.$disconnect();
  // --no-prune keeps the intermediate layers: they are the cache that makes the next run fast.
  if (builtImages.length) spawnSync("docker", ["rmi", "--no-prune", ...builtImages], { encoding: "utf8" });
  await fs.rm(ROOT, { recursive: true, force: true });
  for (const [name, value] of [
    ["LAYERBOARD_CONTEXT_ROOTS", savedEnv.roots],
    ["LAYERBOARD_MAX_UPLOAD_BYTES", savedEnv.upload],
    ["LAYERBOARD_NETWORK_MODE", savedEnv.network],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("context archive upload", () => {
  const validArchive = () =>
    buildTar(
      [
        { name: "Dockerfile", content: `ARG BASE_IMAGE=${BASE_IMAGE}\nFROM \${BASE_IMAGE}\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n` },
        { name: "hello.txt", content: "hello from an uploaded context\n" },
      ],
      { gzip: true },
    );

  it("stores a valid tar.gz with its size and sha256 (201)", async () => {
    const data = await validArchive();
    const before = await db.contextArchive.count();
    const { status, body } = await upload(data, "../../nested/hello.tar.gz");
    expect(status).toBe(201);
    expect(body.archive).toMatchObject({ filename: "hello.tar.gz", size: data.length });
    expect(body.archive.sha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = await db.contextArchive.findUniqueOrThrow({ where: { id: body.archive.id } });
    expect(Buffer.from(stored.data).equals(data)).toBe(true);
    expect(stored.sha256).toBe(body.archive.sha256);
    expect(await db.contextArchive.count()).toBe(before + 1);
  });

  it("refuses an archive with ../ entries (400) and stores nothing", async () => {
    const before = await db.contextArchive.count();
    const evil = await buildTar([{ name: "ok.txt", content: "x" }, { name: "../evil", content: "evil" }], { gzip: true });
    const { status, body } = await upload(evil, "evil.tar.gz");
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "CONTEXT_REFUSED" });
    expect(body.error.message).toContain('".."');
    expect(await db.contextArchive.count()).toBe(before);
  });

  it("refuses a symlink leading out of the archive (400) and stores nothing", async () => {
    const before = await db.contextArchive.count();
    const evil = await buildTar([{ name: "passwd", type: "symlink", linkname: "/etc/passwd" }]);
    const { status, body } = await upload(evil, "link.tar");
    expect(status).toBe(400);
    expect(body.error.message).toContain("points outside");
    expect(await db.contextArchive.count()).toBe(before);
  });

  it("refuses an oversized body from its Content-Length (413) and stores nothing", async () => {
    const before = await db.contextArchive.count();
    const { status, body } = await call(archivesRoute.POST, "/api/context-archives", {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "multipart/form-data; boundary=x", "content-length": String(UPLOAD_LIMIT * 4) },
      body: "--x--\r\n",
    });
    expect(status).toBe(413);
    expect(body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await db.contextArchive.count()).toBe(before);
  });

  it("stops reading an endless body without Content-Length once past the limit (413)", async () => {
    const before = await db.contextArchive.count();
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('--x\r\nContent-Disposition: form-data; name="archive"; filename="big.tar"\r\n\r\n'));
      },
      pull(controller) {
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const { status, body } = await call(archivesRoute.POST, "/api/context-archives", {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "multipart/form-data; boundary=x" },
      body: endless,
      duplex: "half",
    });
    expect(status).toBe(413);
    expect(body.error.message).toContain("LAYERBOARD_MAX_UPLOAD_BYTES");
    expect(pulled).toBeLessThan(UPLOAD_LIMIT * 2);
    expect(await db.contextArchive.count()).toBe(before);
  });

  it("refuses a viewer token (403) and stores nothing", async () => {
    const before = await db.contextArchive.count();
    const { status, body } = await upload(await validArchive(), "viewer.tar.gz", viewerToken);
    expect(status).toBe(403);
    expect(body.error.code).toBe("FORBIDDEN");
    expect(await db.contextArchive.count()).toBe(before);
  });
});

describe("templates for a new Python project in a temporary directory", () => {
  const dir = path.join(ROOT, "wordcrc");
  let projectId = "";

  it("creates the project under the temporary root and refuses a path outside it", async () => {
    await writeTree(dir, PYTHON_PROJECT);
    const outside = await postProject({ name: "Outside", slug: `outside-${runId}`, contextKind: "DIRECTORY", contextPath: "../../etc" });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toContain("outside the allowed roots");
    const { status, body } = await postProject({ name: "wordcrc", slug: `wordcrc-${runId}`, contextKind: "DIRECTORY", contextPath: "wordcrc" });
    expect(status).toBe(201);
    projectId = body.project.id;
    expect(await findTemplateTarget(await getProject(projectId))).toMatchObject({ kind: "DIRECTORY", dir, writable: true });
  });

  it("refuses to overwrite a file with different content, and then writes nothing and creates no variant", async () => {
    const other = path.join(ROOT, "conflict");
    await writeTree(other, { ...PYTHON_PROJECT, "Dockerfile.multi": "FROM scratch\n" });
    const project = await createProject({ name: "conflict", slug: `conflict-${runId}`, description: "", contextKind: "DIRECTORY", contextPath: "conflict" });
    await expect(applyVariantTemplates(project.id, templateInput)).rejects.toThrow(/Dockerfile\.multi already exists with different content/);
    expect(await fs.readFile(path.join(other, "Dockerfile.multi"), "utf8")).toBe("FROM scratch\n");
    expect((await fs.readdir(other)).sort()).toEqual(["Dockerfile.multi", "pyproject.toml", "setup.py", "src"]);
    expect((await getProject(project.id)).variants).toEqual([]);
  });

  it("writes the four strategies' files and a .dockerignore, creates the variants, and is idempotent", async () => {
    const first = await applyVariantTemplates(projectId, templateInput);
    expect(first.files.map((file) => [file.path, file.action])).toEqual([
      ["Dockerfile.single", "create"],
      ["Dockerfile.multi", "create"],
      ["Dockerfile.copies", "create"],
      ["Dockerfile.build", "create"],
      ["Dockerfile.runtime", "create"],
      [".dockerignore", "create"],
    ]);
    expect(first.created.map((variant) => variant.name)).toEqual(["single-stage", "multi-stage", "venv --copies", "builder pattern"]);
    expect(await fs.readFile(path.join(dir, "Dockerfile.multi"), "utf8")).toContain("COPY --from=builder /opt/venv /opt/venv");

    const again = await applyVariantTemplates(projectId, templateInput);
    expect(new Set(again.files.map((file) => file.action))).toEqual(new Set(["unchanged", "kept"]));
    expect(again.created).toEqual([]);
    expect(again.skipped).toEqual(["single-stage", "multi-stage", "venv --copies", "builder pattern"]);
  });

  it("for a git project writes nothing, refuses to, and still creates the variants", async () => {
    const { status, body } = await postProject({ name: "git app", slug: `git-${runId}`, contextKind: "GIT", gitUrl: "https://git.example.com/team/app.git", gitRef: "main" });
    expect(status).toBe(201);
    await expect(applyVariantTemplates(body.project.id, templateInput, { writeFiles: true })).rejects.toThrow(/cannot be written: the context is the git repository/);
    expect((await getProject(body.project.id)).variants).toEqual([]);
    const result = await applyVariantTemplates(body.project.id, { ...templateInput, strategies: ["MULTI_STAGE", "BUILDER_PATTERN"] });
    expect(result.target).toMatchObject({ kind: "GIT", writable: false });
    expect(result.files).toEqual([]);
    expect(result.created.map((variant) => [variant.name, variant.runtimeDockerfile])).toEqual([
      ["multi-stage", null],
      ["builder pattern", "Dockerfile.runtime"],
    ]);
  });

  it(
    "builds them with an in-process worker: single, multi and builder pattern run; --copies builds and does not run",
    { timeout: BUILD_TIMEOUT_MS + 60_000 },
    async () => {
      // And an uploaded archive as the context of another project, built by the same worker.
      const archiveData = await buildTar(
        [
          { name: "Dockerfile", content: `ARG BASE_IMAGE=${BASE_IMAGE}\nFROM \${BASE_IMAGE}\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n` },
          { name: "hello.txt", content: "hello from an uploaded context\n" },
        ],
        { gzip: true },
      );
      const uploaded = await upload(archiveData, "hello.tar.gz");
      expect(uploaded.status).toBe(201);
      const archiveProject = await createProject({ name: "from archive", slug: `archive-${runId}`, description: "", contextKind: "ARCHIVE" });
      await attachContextArchive(archiveProject.id, uploaded.body.archive.id);
      const archiveVariant = await createVariant(archiveProject.id, { name: "uploaded", strategy: "CUSTOM", dockerfile: "Dockerfile", buildArgs: {}, builder: "BUILDKIT", noCache: false });

      const project = await getProject(projectId);
      const variantIds = [...project.variants.map((variant) => variant.id), archiveVariant.id];
      const builds = [];
      for (const variantId of variantIds) builds.push(await startBuild(variantId));
      worker = await startWorker({ concurrency: 2 });

      const ids = builds.map((build) => build.id);
      const deadline = Date.now() + BUILD_TIMEOUT_MS;
      let rows = await db.build.findMany({ where: { id: { in: ids } }, include: { variant: true, smoke: true } });
      while (rows.some((row) => row.status === "QUEUED" || row.status === "RUNNING") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        rows = await db.build.findMany({ where: { id: { in: ids } }, include: { variant: true, smoke: true } });
      }
      // The builder pattern also tags its build image <tag>-build.
      for (const row of rows) if (row.imageTag) builtImages.push(row.imageTag, ...(row.buildImageId ? [`${row.imageTag}-build`] : []));
      const byName = Object.fromEntries(rows.map((row) => [row.variant.name, row]));
      const summary = Object.fromEntries(
        rows.map((row) => [row.variant.name, { status: row.status, runs: row.smoke?.runs ?? null, error: row.error, size: Number(row.totalSize ?? 0) }]),
      );
      console.info(`project-setup builds: ${JSON.stringify(summary)}`);

      for (const name of ["single-stage", "multi-stage", "builder pattern", "uploaded"]) {
        expect({ name, status: byName[name]!.status, runs: byName[name]!.smoke?.runs, error: byName[name]!.error }).toEqual({ name, status: "SUCCEEDED", runs: true, error: null });
      }
      expect(byName["single-stage"]!.smoke!.outputHead).toMatch(/wordcrc ok: 7 words, crc [0-9a-f]{8}/);
      expect(byName["multi-stage"]!.smoke!.outputHead).toMatch(/wordcrc ok: 7 words/);
      expect(byName["builder pattern"]!.smoke!.outputHead).toMatch(/wordcrc ok: 7 words/);
      expect(byName["uploaded"]!.smoke!.outputHead).toContain("hello from an uploaded context");

      const copies = byName["venv --copies"]!;
      expect(copies.status).toBe("SUCCEEDED");
      expect(copies.smoke?.runs).toBe(false);
      expect(copies.smoke?.outputHead).not.toContain("wordcrc ok");

      expect(Number(byName["single-stage"]!.totalSize)).toBeGreaterThan(Number(byName["multi-stage"]!.totalSize));
      expect(Number(byName["multi-stage"]!.totalSize)).toBeGreaterThan(Number(copies.totalSize));
    },
  );
});
