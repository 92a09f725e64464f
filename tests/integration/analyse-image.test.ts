// Image analysis and smoke runs against the real engine, checked against the docker CLI's own numbers.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDockerClient } from "@/lib/docker/client";
import { analyseImage } from "@/lib/docker/analyse-image";
import { runSmoke } from "@/lib/docker/smoke-run";
import { AppError } from "@/lib/errors";

const BASE_IMAGE = process.env.LAYERBOARD_BASE_IMAGE ?? "layerboard/bookworm-base:local";
const runId = randomUUID().slice(0, 8);
const tags = { classic: `layerboard-test/analyse:classic-${runId}`, buildkit: `layerboard-test/analyse:buildkit-${runId}` };
// Every smoke container of this run carries this label too, so the leak check ignores other suites.
const testLabels = { "layerboard.test": `analyse-${runId}` };
const docker = createDockerClient();

// Multi-stage: the builder's layers must not show up; WORKDIR of a new directory is a real, zero-byte layer.
const DOCKERFILE = `ARG BASE_IMAGE
FROM \${BASE_IMAGE} AS builder
WORKDIR /src
COPY app/ /src/app/
RUN mkdir -p /out && cp -r /src/app /out/app && dd if=/dev/zero of=/out/app/blob bs=1k count=48 2>/dev/null

FROM \${BASE_IMAGE}
ARG APP_VERSION=1
ENV APP_HOME=/app LANG=C.UTF-8
WORKDIR /app
COPY --from=builder /out /app
COPY app/main.txt /app/main.txt
RUN echo hello > /app/hello.txt && dd if=/dev/zero of=/app/pad bs=1k count=64 2>/dev/null
EXPOSE 8080/tcp 9090
USER nobody
HEALTHCHECK CMD true
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /app/hello.txt"]
`;

const cli = (args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync("docker", args, { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`docker ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
};

// The docker CLI here needs buildx for BuildKit (not installed), so BuildKit builds go through
// the raw API (`POST /build?version=2`, no session), which is what the app does too.
const buildWithBuildkit = async (contextDir: string, tag: string) => {
  const tarred = spawnSync("tar", ["-C", contextDir, "-c", "."], { maxBuffer: 64 * 1024 * 1024 });
  if (tarred.status !== 0) throw new Error(`tar failed: ${tarred.stderr}`);
  const body = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    docker.modem.dial(
      {
        path: "/build?",
        method: "POST",
        file: tarred.stdout,
        isStream: true,
        statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
        options: { version: "2", t: tag, buildargs: JSON.stringify({ BASE_IMAGE }) },
      },
      (error: unknown, data: unknown) => (error ? reject(error) : resolve(data as NodeJS.ReadableStream)),
    );
  });
  let text = "";
  for await (const chunk of body) text += chunk.toString();
  const lines = text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { errorDetail?: { message: string } });
  const failure = lines.find((line) => line.errorDetail);
  if (failure) throw new Error(`BuildKit build failed: ${failure.errorDetail?.message}`);
};

type SavedConfig = { history: Array<{ created_by?: string; empty_layer?: boolean }>; rootfs: { diff_ids: string[] } };

// The config as `docker save` writes it, read with the tar CLI: independent of the code under test.
const savedConfig = (tag: string, workDir: string): SavedConfig => {
  const archive = path.join(workDir, `${tag.replace(/[^a-z0-9]/gi, "_")}.tar`);
  cli(["save", "-o", archive, tag]);
  const readMember = (member: string) => {
    const result = spawnSync("tar", ["-xOf", archive, member], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`tar -x ${member} failed: ${result.stderr}`);
    return result.stdout;
  };
  const manifest = JSON.parse(readMember("manifest.json")) as Array<{ Config: string }>;
  const config = JSON.parse(readMember(manifest[0].Config)) as SavedConfig;
  fs.rmSync(archive);
  return config;
};

const smokeContainers = () =>
  cli(["ps", "-a", "-q", "--filter", "label=layerboard.smoke=1", "--filter", `label=layerboard.test=${testLabels["layerboard.test"]}`]).trim();

let workDir: string;

beforeAll(async () => {
  cli(["image", "inspect", BASE_IMAGE]); // fails loudly when the base image is missing (scripts/base-image.sh)
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "layerboard-analyse-"));
  const contextDir = path.join(workDir, "context");
  fs.mkdirSync(path.join(contextDir, "app"), { recursive: true });
  fs.writeFileSync(path.join(contextDir, "app", "main.txt"), `analyse ${runId}\n`);
  fs.writeFileSync(path.join(contextDir, "Dockerfile"), DOCKERFILE);
  cli(["build", "-q", "--build-arg", `BASE_IMAGE=${BASE_IMAGE}`, "-t", tags.classic, contextDir], { DOCKER_BUILDKIT: "0" });
  await buildWithBuildkit(contextDir, tags.buildkit);
});

afterAll(() => {
  for (const tag of Object.values(tags)) spawnSync("docker", ["image", "rm", "-f", tag]);
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe.each(["classic", "buildkit"] as const)("analyseImage (%s builder)", (builder) => {
  const tag = tags[builder];

  test("layer sizes equal docker history byte for byte, oldest first, and the total equals docker image inspect", async () => {
    const analysis = await analyseImage(tag, { baseImage: BASE_IMAGE });
    const cliSizes = cli(["history", "--human=false", "--no-trunc", "--format", "{{.Size}}", tag])
      .trim()
      .split("\n")
      .map(Number)
      .reverse();
    expect(analysis.layers.map((layer) => layer.size)).toEqual(cliSizes);
    expect(analysis.layers.map((layer) => layer.position)).toEqual(cliSizes.map((_, index) => index));
    expect(analysis.totalSize).toBe(Number(cli(["image", "inspect", "-f", "{{.Size}}", tag]).trim()));
    expect(analysis.imageId).toBe(cli(["image", "inspect", "-f", "{{.Id}}", tag]).trim());
    expect(analysis.storageDriver).toBe(cli(["info", "-f", "{{.Driver}}"]).trim());
    // overlay2: the total is the sum of the layers (not true on the containerd image store).
    if (analysis.storageDriver === "overlay2") {
      expect(analysis.layers.reduce((sum, layer) => sum + layer.size, 0)).toBe(analysis.totalSize);
    }
  });

  test("empty flags come from the config's empty_layer and digests from rootfs.diff_ids", async () => {
    const analysis = await analyseImage(tag, { baseImage: BASE_IMAGE });
    const config = savedConfig(tag, workDir);
    expect(analysis.layers.map((layer) => layer.isEmpty)).toEqual(config.history.map((entry) => entry.empty_layer === true));
    expect(analysis.layers.map((layer) => layer.createdBy)).toEqual(config.history.map((entry) => entry.created_by ?? ""));
    expect(analysis.layers.filter((layer) => !layer.isEmpty).map((layer) => layer.layerDigest)).toEqual(config.rootfs.diff_ids);
    expect(analysis.layers.filter((layer) => layer.isEmpty).every((layer) => layer.layerDigest === null)).toBe(true);
    expect(JSON.parse(cli(["image", "inspect", "-f", "{{json .RootFS.Layers}}", tag]))).toEqual(config.rootfs.diff_ids);

    // WORKDIR of a new directory: a real layer of zero bytes, so `Size == 0` does not mean empty.
    const workdir = analysis.layers.find((layer) => layer.instruction === "WORKDIR /app");
    expect(workdir).toMatchObject({ size: 0, isEmpty: false });
    expect(workdir?.layerDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(analysis.layers.find((layer) => layer.instruction.startsWith("ENV "))).toMatchObject({ size: 0, isEmpty: true });
  });

  test("flags the final stage's base layers and reads instructions and config", async () => {
    const baseEntries = cli(["history", "-q", BASE_IMAGE]).trim().split("\n").length;
    const named = await analyseImage(tag, { baseImage: BASE_IMAGE });
    expect(named.layers.filter((layer) => layer.isFromBase).map((layer) => layer.position)).toEqual(
      Array.from({ length: baseEntries }, (_, index) => index),
    );
    // Without a named base (or with one that is not on the engine) the heuristic agrees here.
    for (const baseImage of [undefined, null, "layerboard-test/no-such-base:nope"]) {
      const guessed = await analyseImage(tag, { baseImage });
      expect(guessed.layers.map((layer) => layer.isFromBase)).toEqual(named.layers.map((layer) => layer.isFromBase));
    }

    const own = named.layers.filter((layer) => !layer.isFromBase).map((layer) => layer.instruction);
    expect(own).toContain("WORKDIR /app");
    expect(own).toContain("RUN echo hello > /app/hello.txt && dd if=/dev/zero of=/app/pad bs=1k count=64 2>/dev/null");
    expect(own).toContain("HEALTHCHECK CMD true");
    // Multi-stage: nothing of the builder stage is in the final image's history.
    expect(named.layers.some((layer) => layer.createdBy.includes("/src"))).toBe(false);
    const pad = named.layers.find((layer) => layer.instruction.startsWith("RUN echo hello"));
    expect(pad?.size).toBeGreaterThanOrEqual(64 * 1024);

    expect(named.config).toEqual({
      cmd: ["cat /app/hello.txt"],
      entrypoint: ["/bin/sh", "-c"],
      user: "nobody",
      workingDir: "/app",
      healthcheck: true,
      exposedPorts: ["8080/tcp", "9090/tcp"],
    });
  });
});

describe("analyseImage errors", () => {
  test("an unknown image is NOT_FOUND", async () => {
    const error = await analyseImage("layerboard-test/does-not-exist:nope").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("NOT_FOUND");
  });

  test("a stopped engine is ENGINE_UNAVAILABLE", async () => {
    const nowhere = createDockerClient(`unix://${path.join(os.tmpdir(), `no-engine-${runId}.sock`)}`);
    const error = await analyseImage(BASE_IMAGE, { docker: nowhere }).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe("ENGINE_UNAVAILABLE");
  });
});

describe("runSmoke", () => {
  afterAll(() => {
    expect(smokeContainers()).toBe("");
  });

  test("an image whose default command exits 0 runs, with the engine's resolved command and output", async () => {
    const outcome = await runSmoke(tags.buildkit, { labels: testLabels });
    expect(outcome).toMatchObject({
      runs: true,
      exitCode: 0,
      timedOut: false,
      oomKilled: false,
      error: null,
      command: ["/bin/sh", "-c", "cat /app/hello.txt"],
      outputHead: "hello",
      outputTail: "hello",
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(smokeContainers()).toBe("");
  });

  test("exit code 3 is reported and does not count as running", async () => {
    const outcome = await runSmoke(BASE_IMAGE, { command: ["sh", "-c", "echo to-stderr >&2; exit 3"], labels: testLabels });
    expect(outcome).toMatchObject({ runs: false, exitCode: 3, timedOut: false, error: null, command: ["sh", "-c", "echo to-stderr >&2; exit 3"] });
    expect(outcome.outputTail).toBe("to-stderr");
  });

  test("a command override keeps the image's entrypoint", async () => {
    const outcome = await runSmoke(tags.classic, { command: ["echo override"], labels: testLabels });
    expect(outcome).toMatchObject({ runs: true, exitCode: 0, command: ["/bin/sh", "-c", "echo override"], outputHead: "override" });
  });

  test("long output is demultiplexed into the first and last 20 lines", async () => {
    const outcome = await runSmoke(BASE_IMAGE, {
      command: ["sh", "-c", 'for i in $(seq 1 100); do echo "line $i"; if [ $((i % 10)) -eq 0 ]; then echo "err $i" >&2; fi; done; sleep 0.3; echo "err end" >&2'],
      labels: testLabels,
    });
    expect(outcome.runs).toBe(true);
    const head = outcome.outputHead.split("\n");
    const tail = outcome.outputTail.split("\n");
    expect(head).toHaveLength(20);
    expect(tail).toHaveLength(20);
    // stdout and stderr are separate pipes: the engine keeps each stream's order, not their interleaving.
    const stdoutOnly = (lines: string[]) => lines.filter((line) => line.startsWith("line "));
    for (const line of [...head, ...tail]) expect(line).toMatch(/^(line \d+|err \d+|err end)$/);
    expect(stdoutOnly(head)).toEqual(stdoutOnly(head).map((_, index) => `line ${index + 1}`));
    expect(stdoutOnly(tail).at(-1)).toBe("line 100");
    expect(stdoutOnly(tail)).toEqual(stdoutOnly(tail).map((_, index, all) => `line ${101 - all.length + index}`));
    expect(tail.at(-1)).toBe("err end");
    // No frame header bytes leak into the text.
    expect(outcome.outputHead + outcome.outputTail).not.toMatch(/[\u0000-\u0008]/);
  });

  test("output is capped at about 4 KB per end", async () => {
    const outcome = await runSmoke(BASE_IMAGE, { command: ["sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x"], labels: testLabels });
    expect(outcome.runs).toBe(true);
    expect(outcome.outputHead.length).toBeLessThanOrEqual(4096);
    expect(outcome.outputTail.length).toBeLessThanOrEqual(4096);
    expect(outcome.outputTail).toMatch(/^x+$/);
  });

  test("a container that outlives the timeout is killed, reported and removed", async () => {
    const started = Date.now();
    const outcome = await runSmoke(BASE_IMAGE, { command: ["sleep", "60"], timeoutMs: 1500, labels: testLabels });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(outcome).toMatchObject({ runs: false, timedOut: true, exitCode: 137 });
    expect(outcome.error).toMatch(/did not exit within 1500 ms/);
    expect(smokeContainers()).toBe("");
  });

  test("a command that does not exist fails to start with the engine's message", async () => {
    const outcome = await runSmoke(BASE_IMAGE, { command: ["/no/such/binary"], labels: testLabels });
    expect(outcome).toMatchObject({ runs: false, exitCode: null, timedOut: false, command: ["/no/such/binary"] });
    expect(outcome.error).toMatch(/no such file or directory|not found/i);
    expect(smokeContainers()).toBe("");
  });

  test("an image that is not on the engine fails with the engine's message", async () => {
    const outcome = await runSmoke("layerboard-test/does-not-exist:nope", { labels: testLabels });
    expect(outcome.runs).toBe(false);
    expect(outcome.error).toMatch(/no such image/i);
  });

  test("a memory hog is OOM-killed and reported", async () => {
    const outcome = await runSmoke(BASE_IMAGE, {
      command: ["sh", "-c", "head -c 200m /dev/zero | tail -c 100m > /dev/null"],
      memoryBytes: 16 * 1024 * 1024,
      labels: testLabels,
    });
    expect(outcome).toMatchObject({ runs: false, oomKilled: true, timedOut: false, exitCode: 137 });
    expect(outcome.error).toMatch(/OOM/);
  });
});

// Without a zero-byte real layer the mapping comes from the layer count alone (no export):
// it must agree with the config `docker save` writes.
test("maps empty flags and digests without the export when every real layer has bytes", async () => {
  const contextDir = path.join(workDir, "no-workdir");
  fs.mkdirSync(contextDir, { recursive: true });
  fs.writeFileSync(path.join(contextDir, "Dockerfile"), `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nENV A=1\nRUN echo ${runId} > /marker\nLABEL x=y\nCMD ["cat", "/marker"]\n`);
  const tag = `layerboard-test/analyse:counts-${runId}`;
  cli(["build", "-q", "--build-arg", `BASE_IMAGE=${BASE_IMAGE}`, "-t", tag, contextDir], { DOCKER_BUILDKIT: "0" });
  try {
    const analysis = await analyseImage(tag, { baseImage: BASE_IMAGE });
    const config = savedConfig(tag, workDir);
    expect(analysis.layers.map((layer) => layer.isEmpty)).toEqual(config.history.map((entry) => entry.empty_layer === true));
    expect(analysis.layers.filter((layer) => !layer.isEmpty).map((layer) => layer.layerDigest)).toEqual(config.rootfs.diff_ids);
  } finally {
    spawnSync("docker", ["image", "rm", "-f", tag]);
  }
});

// Issue 16: the classic builder keeps WORKDIR's zero-byte layer and drops an empty RUN's, which the
// history cannot tell apart. The pipeline does not wait for the export (exportWhenAmbiguous: false):
// sizes stay exact and the mapping says it is provisional; with the export it is the saved config.
test("an ambiguous mapping is provisional without the export and exact with it", async () => {
  const contextDir = path.join(workDir, "ambiguous");
  fs.mkdirSync(contextDir, { recursive: true });
  fs.writeFileSync(path.join(contextDir, "f.txt"), `${runId}\n`);
  fs.writeFileSync(path.join(contextDir, "Dockerfile"), `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nWORKDIR /app\nCOPY f.txt /app/f.txt\nRUN true\nCMD ["cat", "/app/f.txt"]\n`);
  const tag = `layerboard-test/analyse:ambiguous-${runId}`;
  cli(["build", "-q", "--build-arg", `BASE_IMAGE=${BASE_IMAGE}`, "-t", tag, contextDir], { DOCKER_BUILDKIT: "0" });
  try {
    const provisional = await analyseImage(tag, { baseImage: BASE_IMAGE, exportWhenAmbiguous: false });
    const exact = await analyseImage(tag, { baseImage: BASE_IMAGE });
    const config = savedConfig(tag, workDir);
    expect(provisional.mappingExact).toBe(false);
    expect(provisional.layers.map((layer) => layer.size)).toEqual(exact.layers.map((layer) => layer.size));
    expect(provisional.layers.every((layer) => layer.layerDigest === null)).toBe(true);
    expect(exact.mappingExact).toBe(true);
    expect(exact.layers.map((layer) => layer.isEmpty)).toEqual(config.history.map((entry) => entry.empty_layer === true));
    expect(exact.layers.filter((layer) => !layer.isEmpty).map((layer) => layer.layerDigest)).toEqual(config.rootfs.diff_ids);
  } finally {
    spawnSync("docker", ["image", "rm", "-f", tag]);
  }
});
