// The generated strategy Dockerfiles, built for real with the docker CLI against a tiny
// Python project with a C extension (not the bundled example): they must build offline,
// single/multi/builder-pattern images must run, and the --copies one must not.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDockerignore, renderVariantTemplates, type RenderedVariant } from "@/lib/builds/variant-templates";

const BASE_IMAGE = process.env.LAYERBOARD_BASE_IMAGE ?? "layerboard/bookworm-base:local";
const runId = randomBytes(4).toString("hex");
const containerLabel = `layerboard.test=variant-templates-${runId}`;
const BUILD_TIMEOUT_MS = 15 * 60_000;
// First run on a cold cache installs apt packages in four distinct layers; later runs hit the cache.
const TEST_TIMEOUT_MS = 20 * 60_000;

// Flat layout on purpose (the package sits at the context root) and setup.py without
// pyproject.toml: the opposite of examples/pyapp. The extension links zlib, so the builder
// needs zlib1g-dev (systemPackages) and the runtime libz.so.1 (runtimePackages).
const PROJECT_FILES: Record<string, string> = {
  "setup.py": `from setuptools import Extension, setup

setup(
    name="tinyhash",
    version="1.0.0",
    packages=["tinyhash"],
    ext_modules=[Extension("tinyhash._native", ["tinyhash/_native.c"], libraries=["z"])],
)
`,
  "tinyhash/__init__.py": "",
  "tinyhash/_native.c": `#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <zlib.h>

static PyObject *native_crc32(PyObject *self, PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, (const Bytef *)data.buf, (uInt)data.len);
    PyBuffer_Release(&data);
    return PyLong_FromUnsignedLong(crc);
}

static PyMethodDef methods[] = {{"crc32", native_crc32, METH_VARARGS, "zlib crc32"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};
PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }
`,
  "tinyhash/cli.py": `from tinyhash._native import crc32

if __name__ == "__main__":
    print(f"tinyhash ok: {crc32(b'layerboard'):08x}")
`,
  // Must stay out of the context (renderDockerignore) or the builder would reuse it.
  "tinyhash/__pycache__/stale.cpython-311.pyc": "not bytecode",
};
const EXPECTED_OUTPUT = `tinyhash ok: ${zlib.crc32("layerboard").toString(16).padStart(8, "0")}`;

type CliResult = { status: number | null; stdout: string; stderr: string };

const docker = (args: string[], timeout = 120_000): CliResult => {
  const result = spawnSync("docker", args, {
    encoding: "utf8",
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

const dockerOk = (args: string[], timeout?: number) => {
  const result = docker(args, timeout);
  if (result.status !== 0) throw new Error(`docker ${args.join(" ")} exited ${result.status}:\n${result.stderr.slice(-4000)}\n${result.stdout.slice(-4000)}`);
  return result.stdout.trim();
};

const tags: string[] = [];
const tagFor = (name: string) => {
  const tag = `layerboard-test/variant-templates:${name}-${runId}`;
  tags.push(tag);
  return tag;
};

// RUN steps reach the Debian mirror through the engine's default network, or the one the
// app's builds use (LAYERBOARD_NETWORK_MODE, e.g. `host` on an engine without a bridge).
const networkArgs = process.env.LAYERBOARD_NETWORK_MODE ? ["--network", process.env.LAYERBOARD_NETWORK_MODE] : [];
const build = (contextDir: string, dockerfile: string, tag: string) =>
  dockerOk(
    ["build", "-q", "--force-rm", ...networkArgs, "--build-arg", `BASE_IMAGE=${BASE_IMAGE}`, "-f", path.join(contextDir, dockerfile), "-t", tag, contextDir],
    BUILD_TIMEOUT_MS,
  );

// The image's own CMD, without network, like Layerboard's smoke run.
const run = (tag: string) => docker(["run", "--rm", "--network", "none", "--label", containerLabel, tag]);
const sizeOf = (tag: string) => Number(dockerOk(["image", "inspect", "-f", "{{.Size}}", tag]));

let projectDir = "";
let variants: RenderedVariant[] = [];
const sizes: Record<string, number> = {};
const variantFor = (strategy: RenderedVariant["strategy"]) => {
  const found = variants.find((v) => v.strategy === strategy);
  if (!found) throw new Error(`${strategy} was not rendered`);
  return found;
};

beforeAll(async () => {
  dockerOk(["image", "inspect", "-f", "{{.Id}}", BASE_IMAGE]); // fails loudly without the base image (scripts/base-image.sh)
  projectDir = await fs.mkdtemp(path.join(os.tmpdir(), "layerboard-templates-"));
  variants = renderVariantTemplates({
    strategies: ["SINGLE_STAGE", "MULTI_STAGE", "VENV_COPIES", "BUILDER_PATTERN"],
    baseImage: BASE_IMAGE,
    appModule: "tinyhash.cli",
    systemPackages: ["zlib1g-dev"],
    runtimePackages: ["zlib1g"],
  });
  const files = { ...PROJECT_FILES, ".dockerignore": renderDockerignore(), ...Object.fromEntries(variants.flatMap((v) => v.files.map((f) => [f.path, f.content]))) };
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(projectDir, name)), { recursive: true });
    await fs.writeFile(path.join(projectDir, name), content);
  }
});

afterAll(async () => {
  for (const id of dockerOk(["ps", "-aq", "--filter", `label=${containerLabel}`]).split("\n").filter(Boolean)) docker(["rm", "-f", id]);
  // --no-prune keeps the classic builder's intermediate images: they are the layer cache
  // that makes the next run fast.
  if (tags.length > 0) docker(["rmi", "--no-prune", ...tags]);
  if (projectDir) await fs.rm(projectDir, { recursive: true, force: true });
});

describe("generated strategy Dockerfiles on the real engine", () => {
  it("builds the single-stage image offline and it runs", { timeout: TEST_TIMEOUT_MS }, () => {
    const tag = tagFor("single");
    build(projectDir, variantFor("SINGLE_STAGE").dockerfile, tag);
    const result = run(tag);
    expect(result.stderr).toBe("");
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: EXPECTED_OUTPUT });
    sizes.single = sizeOf(tag);
  });

  it("builds the multi-stage image and it runs without a compiler inside", { timeout: TEST_TIMEOUT_MS }, () => {
    const tag = tagFor("multi");
    build(projectDir, variantFor("MULTI_STAGE").dockerfile, tag);
    const result = run(tag);
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: EXPECTED_OUTPUT });
    const gcc = docker(["run", "--rm", "--network", "none", "--label", containerLabel, "--entrypoint", "sh", tag, "-c", "command -v gcc cc || true"]);
    expect(gcc.stdout.trim()).toBe("");
    sizes.multi = sizeOf(tag);
  });

  it("builds the venv --copies image, which does not start", { timeout: TEST_TIMEOUT_MS }, () => {
    const tag = tagFor("copies");
    build(projectDir, variantFor("VENV_COPIES").dockerfile, tag);
    const result = run(tag);
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain("tinyhash ok");
    // Debian's interpreter needs libexpat (and its stdlib), neither of which --copies brings along.
    expect(result.stderr).toMatch(/libexpat\.so\.1: cannot open shared object file|No module named|Could not find platform/);
    sizes.copies = sizeOf(tag);
  });

  it("builds the builder pattern: build image, artefact out, runtime image that runs", { timeout: TEST_TIMEOUT_MS }, async () => {
    const variant = variantFor("BUILDER_PATTERN");
    const buildTag = tagFor("build");
    build(projectDir, variant.dockerfile, buildTag);

    // Like Layerboard's pipeline: the runtime context is the project context plus the
    // artefact under artifact/.
    const runtimeDir = await fs.mkdtemp(path.join(os.tmpdir(), "layerboard-templates-runtime-"));
    try {
      await fs.cp(projectDir, runtimeDir, { recursive: true });
      await fs.mkdir(path.join(runtimeDir, "artifact"));
      const containerId = dockerOk(["create", "--label", containerLabel, buildTag]);
      try {
        dockerOk(["cp", `${containerId}:${variant.artifactPath}`, path.join(runtimeDir, "artifact", path.posix.basename(variant.artifactPath!))]);
      } finally {
        docker(["rm", "-f", containerId]);
      }
      const runtimeTag = tagFor("runtime");
      build(runtimeDir, variant.runtimeDockerfile!, runtimeTag);
      const result = run(runtimeTag);
      expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: EXPECTED_OUTPUT });
      sizes.runtime = sizeOf(runtimeTag);
      sizes.build = sizeOf(buildTag);
    } finally {
      await fs.rm(runtimeDir, { recursive: true, force: true });
    }
  });

  it("orders the sizes: single-stage > multi-stage > --copies, and the runtime image is far below its build image", () => {
    expect(Object.keys(sizes).sort()).toEqual(["build", "copies", "multi", "runtime", "single"]);
    expect(sizes.single).toBeGreaterThan(sizes.multi!);
    expect(sizes.multi).toBeGreaterThan(sizes.copies!);
    expect(sizes.runtime).toBeLessThan(sizes.build!);
    console.info(`variant template sizes (bytes, base ${BASE_IMAGE}): ${JSON.stringify(sizes)}`);
  });
});
