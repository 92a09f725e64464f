// The build step against the real engine: BuildKit and classic builds, cache, failures, cancel.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import tar from "tar-stream";
import { createContextTarStream } from "@/lib/builds/context/create-tar-stream";
import { buildImage, type BuildImageOptions } from "@/lib/docker/build-image";
import { openSessionCount } from "@/lib/docker/buildkit-session";
import { isDockerfileStep, type BuildEvent, type BuildStep } from "@/lib/docker/build-stream";
import { createDockerClient } from "@/lib/docker/client";
import { getEngineInfo } from "@/lib/docker/engine-info";
import { AppError } from "@/lib/errors";
import { processesMatching } from "../support/pipeline";

const docker = createDockerClient();
const BASE = "layerboard/bookworm-base:local";
const runId = randomBytes(4).toString("hex");
const tags: string[] = [];

const tagFor = (name: string) => {
  const tag = `layerboard-test/build-image:${name}-${runId}`;
  tags.push(tag);
  return tag;
};

const packContext = (files: Record<string, string>) => {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name }, content);
  pack.finalize();
  // A streamx Readable: pipe/on like a Node stream, which is all the request needs.
  return pack as unknown as NodeJS.ReadableStream;
};

const build = async (
  files: Record<string, string>,
  options: Partial<BuildImageOptions> & Pick<BuildImageOptions, "tag">,
) => {
  const events: BuildEvent[] = [];
  const run = buildImage({
    docker,
    context: packContext(files),
    dockerfile: "Dockerfile",
    builder: "BUILDKIT",
    onEvent: (event) => {
      events.push(event);
    },
    ...options,
  });
  return { events, run };
};

const finalSteps = (events: BuildEvent[]): BuildStep[] => {
  const byDigest = new Map<string, BuildStep>();
  for (const event of events) if (event.type === "step") byDigest.set(event.step.digest, event.step);
  return [...byDigest.values()].filter(isDockerfileStep);
};
const logLines = (events: BuildEvent[], stream?: "stdout" | "stderr") =>
  events.flatMap((e) => (e.type === "log" && (!stream || e.stream === stream) ? [e.text] : []));

const expectAppError = async (promise: Promise<unknown>, code: string) => {
  const error = await promise.then(
    () => expect.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
};

const imageExists = (name: string) =>
  docker
    .getImage(name)
    .inspect()
    .then(
      () => true,
      (error: { statusCode?: number }) => {
        if (error.statusCode === 404) return false;
        throw error;
      },
    );

const waitFor = async (check: () => boolean | Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
};

afterAll(async () => {
  for (const tag of tags) await docker.getImage(tag).remove({ force: true }).catch(() => {});
});

describe("getEngineInfo", () => {
  it("describes the running engine", async () => {
    const info = await getEngineInfo(docker);
    expect(info).toMatchObject({ reachable: true, os: "linux", buildkit: true });
    if (!info.reachable) return;
    expect(info.apiVersion).toMatch(/^1\.\d+$/);
    expect(info.storageDriver).not.toBe("");
  });

  it("reports an engine that is not there instead of throwing", async () => {
    const info = await getEngineInfo(createDockerClient(`unix:///tmp/layerboard-no-engine-${runId}.sock`));
    expect(info).toEqual({ reachable: false, reason: expect.stringContaining("ENOENT") });
  });
});

describe("buildImage with BuildKit", () => {
  const dockerfile = [
    `FROM ${BASE} AS builder`,
    `RUN echo "run ${runId} café ✓" && echo "warning ${runId}" >&2`,
    `RUN echo ${runId} > /built.txt`,
    `FROM ${BASE}`,
    "COPY --from=builder /built.txt /built.txt",
    "COPY hello.txt /hello.txt",
  ].join("\n");
  const files = { Dockerfile: dockerfile, "hello.txt": "hello\n" };

  it("builds an image and streams steps with timings and the RUN output", async () => {
    const tag = tagFor("bk");
    const { events, run } = await build(files, { tag, labels: { "layerboard.test": runId } });
    const { imageId } = await run;

    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const image = await docker.getImage(tag).inspect();
    expect(image.Id).toBe(imageId);
    expect(image.Config.Labels).toMatchObject({ "layerboard.test": runId });

    const steps = finalSteps(events);
    // BuildKit shares identical vertexes between concurrent solves: the FROM vertex may carry
    // the name another build on the same engine gave it (seen: "[builder 1/6] FROM …").
    expect(steps[0].name).toMatch(/^\[[^\]]+\] FROM docker\.io\/layerboard\/bookworm-base:local$/);
    expect(steps.slice(1).map((s) => s.name)).toEqual([
      `[builder 2/3] RUN echo "run ${runId} café ✓" && echo "warning ${runId}" >&2`,
      `[builder 3/3] RUN echo ${runId} > /built.txt`,
      "[stage-1 2/3] COPY --from=builder /built.txt /built.txt",
      "[stage-1 3/3] COPY hello.txt /hello.txt",
    ]);
    for (const step of steps) {
      expect(step.startedAt).toBeInstanceOf(Date);
      expect(step.completedAt!.getTime()).toBeGreaterThanOrEqual(step.startedAt!.getTime());
      expect(step.error).toBeNull();
    }
    expect(steps.filter((s) => s.name.includes("RUN")).every((s) => !s.cached)).toBe(true);
    expect(logLines(events, "stdout")).toContain(`run ${runId} café ✓`);
    expect(logLines(events, "stderr")).toContain(`warning ${runId}`);
    expect(events.filter((e) => e.type === "image")).toEqual([{ type: "image", imageId }]);
  });

  it("reports the steps of a rebuild as cached and gives the same image", async () => {
    const first = await docker.getImage(tagFor("bk")).inspect();
    const { events, run } = await build(files, { tag: tagFor("bk-again"), labels: { "layerboard.test": runId } });
    const { imageId } = await run;

    expect(imageId).toBe(first.Id);
    const steps = finalSteps(events).filter((s) => !s.name.includes(" FROM "));
    expect(steps).toHaveLength(4);
    for (const step of steps) {
      expect(step.cached).toBe(true);
      // BuildKit stamps a cached step's start and end within the same instant; in milliseconds they may round 1 apart.
      expect(Math.abs(step.completedAt!.getTime() - step.startedAt!.getTime())).toBeLessThanOrEqual(1);
    }
    expect(logLines(events, "stdout")).not.toContain(`run ${runId} café ✓`);
  });

  it("rebuilds everything with noCache", async () => {
    const { events, run } = await build(files, { tag: tagFor("bk-nocache"), noCache: true });
    await run;
    // With nocache BuildKit reports the FROM of a local image as cached (it is not rebuilt).
    const steps = finalSteps(events).filter((s) => !s.name.includes(" FROM "));
    expect(steps).toHaveLength(4);
    expect(steps.some((s) => s.cached)).toBe(false);
    expect(logLines(events, "stdout")).toContain(`run ${runId} café ✓`);
  });

  it("fails with the command's error after streaming its output", async () => {
    const tag = tagFor("bk-fail");
    const { events, run } = await build(
      { Dockerfile: `FROM ${BASE}\nRUN echo "about to fail ${runId}" && ls /does-not-exist-${runId}\n` },
      { tag },
    );
    const error = await expectAppError(run, "BUILD_FAILED");

    expect(error.message).toContain(`ls /does-not-exist-${runId}`);
    expect(error.message).toContain("exit code: 2");
    expect(logLines(events, "stdout")).toContain(`about to fail ${runId}`);
    expect(logLines(events, "stderr")).toContain(
      `ls: cannot access '/does-not-exist-${runId}': No such file or directory`,
    );
    // Found by name: BuildKit may announce the FROM vertex after the RUN ones (seen 4 times in 30).
    const failed = finalSteps(events).find((s) => s.name.includes(`ls /does-not-exist-${runId}`));
    expect(failed?.error).toContain("exit code: 2");
    expect(events.at(-1)).toEqual({ type: "error", message: error.message });
    expect(await imageExists(tag)).toBe(false);
  });

  it("fails on a Dockerfile the frontend cannot parse", async () => {
    const { run } = await build({ Dockerfile: `FROM ${BASE}\nNOT_AN_INSTRUCTION x\n` }, { tag: tagFor("bk-parse") });
    const error = await expectAppError(run, "BUILD_FAILED");
    expect(error.message).toContain("unknown instruction: NOT_AN_INSTRUCTION");
  });

  it("fails on a target the Dockerfile does not have", async () => {
    const { run } = await build(files, { tag: tagFor("bk-no-target"), target: "nope" });
    const error = await expectAppError(run, "BUILD_FAILED");
    expect(error.message).toContain("target stage nope could not be found");
  });

  it("honours target and build args", async () => {
    const tag = tagFor("bk-target");
    const { events, run } = await build(
      {
        Dockerfile: [
          `ARG BASE_IMAGE=${BASE}`,
          "FROM ${BASE_IMAGE} AS base",
          "ARG GREETING=default",
          'RUN echo "greeting=$GREETING"',
          "ENV GREETING_ENV=$GREETING",
          "FROM base AS final",
          'RUN echo "final stage ran" && false',
        ].join("\n"),
      },
      { tag, target: "base", buildArgs: { GREETING: `hi-${runId}`, BASE_IMAGE: BASE } },
    );
    await run;

    expect(logLines(events, "stdout")).toContain(`greeting=hi-${runId}`);
    expect(finalSteps(events).some((s) => s.name.includes("final stage ran"))).toBe(false);
    const image = await docker.getImage(tag).inspect();
    expect(image.Config.Env).toContain(`GREETING_ENV=hi-${runId}`);
  });

  it("serves secret mounts through its own session: a defined one is read, an optional undefined one skipped", async () => {
    const { run, events } = await build(
      {
        Dockerfile: `FROM ${BASE}\nRUN --mount=type=secret,id=token --mount=type=secret,id=absent,required=false wc -c < /run/secrets/token && ls /run/secrets && echo ${runId}\n`,
      },
      { tag: tagFor("bk-secret"), secrets: new Map([["token", Buffer.from("0123456789")]]), noCache: true },
    );
    await run;
    const stdout = logLines(events, "stdout");
    expect(stdout).toContain("10");
    expect(stdout).toContain("token");
    expect(stdout).not.toContain("absent");
    expect(stdout).toContain(runId);
    expect(openSessionCount()).toBe(0);
  });

  it("asks for the classic builder when an SSH mount needs what the session does not serve", async () => {
    const { run } = await build(
      { Dockerfile: `FROM ${BASE}\nRUN --mount=type=ssh,required=true echo ${runId}\n` },
      { tag: tagFor("bk-ssh") },
    );
    const error = await expectAppError(run, "SESSION_REQUIRED");
    expect(error.message).toContain("SSH");
    expect(error.message).toContain("classic builder");
    expect(openSessionCount()).toBe(0);
  });

  it("awaits each onEvent in order before handling the next", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: string[] = [];
    await buildImage({
      docker,
      context: packContext(files),
      dockerfile: "Dockerfile",
      builder: "BUILDKIT",
      tag: tagFor("bk-slow"),
      onEvent: async (event) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(event.type);
        inFlight -= 1;
      },
    });
    expect(maxInFlight).toBe(1);
    expect(seen).toContain("image");
  });

  it("passes an onEvent failure through unchanged and stops reading", async () => {
    const failure = new Error("log store down");
    const run = buildImage({
      docker,
      context: packContext(files),
      dockerfile: "Dockerfile",
      builder: "BUILDKIT",
      tag: tagFor("bk-handler"),
      onEvent: () => {
        throw failure;
      },
    });
    await expect(run).rejects.toBe(failure);
  });

  it("cancels a running build within seconds and leaves nothing behind", async () => {
    const tag = tagFor("bk-cancel");
    const marker = `cancel-marker-${runId}`;
    const controller = new AbortController();
    const { events, run } = await build(
      { Dockerfile: `FROM ${BASE}\nRUN echo ${marker} && sleep 30\nRUN echo never\n` },
      { tag, signal: controller.signal, noCache: true },
    );
    const outcome = run.then(
      () => null,
      (error: unknown) => error,
    );

    expect(await waitFor(() => logLines(events).includes(marker), 30_000)).toBe(true);
    expect(processesMatching(marker).length).toBeGreaterThan(0);
    // The build's BuildKit session (lib/docker/buildkit-session.ts) is open while it runs.
    expect(openSessionCount()).toBe(1);

    const abortedAt = Date.now();
    controller.abort();
    const error = await outcome;
    const rejectedAfterMs = Date.now() - abortedAt;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("BUILD_CANCELLED");
    expect(rejectedAfterMs).toBeLessThan(2_000);
    expect(openSessionCount()).toBe(0);

    // The engine stops the RUN when the connection closes.
    const stoppedAfterMs = await (async () => {
      expect(await waitFor(() => processesMatching(marker).length === 0, 10_000)).toBe(true);
      return Date.now() - abortedAt;
    })();
    expect(await imageExists(tag)).toBe(false);
    console.info(`cancel: promise rejected after ${rejectedAfterMs} ms, RUN process gone after ${stoppedAfterMs} ms`);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const { run } = await build(files, { tag: tagFor("bk-pre"), signal: AbortSignal.abort() });
    await expectAppError(run, "BUILD_CANCELLED");
    expect(openSessionCount()).toBe(0);
  });
});

describe("buildImage with the classic builder", () => {
  it("builds an image and streams its log lines", async () => {
    const tag = tagFor("classic");
    const events: BuildEvent[] = [];
    const { imageId } = await buildImage({
      docker,
      context: packContext({
        Dockerfile: `FROM ${BASE}\nARG WHO=nobody\nRUN echo "classic $WHO ✓" && echo "err ${runId}" >&2\n`,
      }),
      dockerfile: "Dockerfile",
      builder: "CLASSIC",
      buildArgs: { WHO: runId },
      labels: { "layerboard.test": runId },
      tag,
      onEvent: (event) => {
        events.push(event);
      },
    });

    const image = await docker.getImage(tag).inspect();
    expect(image.Id).toBe(imageId);
    expect(image.Config.Labels).toMatchObject({ "layerboard.test": runId });
    // The classic builder adds the labels as one more step.
    expect(logLines(events, "stdout")).toContain("Step 1/4 : FROM layerboard/bookworm-base:local");
    expect(logLines(events, "stdout")).toContain(`Step 4/4 : LABEL layerboard.test=${runId}`);
    expect(logLines(events, "stdout")).toContain(`classic ${runId} ✓`);
    expect(logLines(events, "stderr")).toEqual([`err ${runId}`]);
  });

  it("fails with the engine's message and removes the failed step's container", async () => {
    const events: BuildEvent[] = [];
    const marker = `classic-fail-${runId}`;
    const run = buildImage({
      docker,
      context: packContext({ Dockerfile: `FROM ${BASE}\nRUN echo ${marker} && exit 3\n` }),
      dockerfile: "Dockerfile",
      builder: "CLASSIC",
      tag: tagFor("classic-fail"),
      onEvent: (event) => {
        events.push(event);
      },
    });
    const error = await expectAppError(run, "BUILD_FAILED");
    expect(error.message).toContain("returned a non-zero code: 3");
    expect(logLines(events, "stdout")).toContain(marker);

    const containers = await docker.listContainers({ all: true });
    expect(containers.filter((c) => c.Command.includes(marker))).toEqual([]);
  });
});

describe("buildImage with a packed directory context", () => {
  it("sends a context of many buffers intact through its reused batches (issue 16)", { timeout: 120_000 }, async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lb-build-context-"));
    try {
      // 24 MiB in one file (24 read chunks) and 2,000 small files: several times the batch pool.
      const big = randomBytes(24 * 1024 * 1024);
      await fs.writeFile(path.join(dir, "big.bin"), big);
      const small = createHash("sha256");
      await fs.mkdir(path.join(dir, "small"));
      for (let i = 0; i < 2000; i++) {
        const name = `f${String(i).padStart(4, "0")}`;
        const content = `${name} ${runId} `.repeat(1 + (i % 300));
        await fs.writeFile(path.join(dir, "small", name), content);
        small.update(content);
      }
      await fs.writeFile(
        path.join(dir, "Dockerfile"),
        `FROM ${BASE}\nCOPY . /ctx\nRUN sha256sum /ctx/big.bin && cat /ctx/small/* | sha256sum\n`,
      );
      const events: BuildEvent[] = [];
      await buildImage({
        docker,
        context: createContextTarStream(dir, { dockerfile: "Dockerfile" }),
        dockerfile: "Dockerfile",
        builder: "CLASSIC",
        tag: tagFor("packed-context"),
        onEvent: (event) => {
          events.push(event);
        },
      });
      const out = logLines(events, "stdout").join("\n");
      expect(out).toContain(`${createHash("sha256").update(big).digest("hex")}  /ctx/big.bin`);
      expect(out).toContain(`${small.digest("hex")}  -`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("buildImage with the classic builder, failures and cancel", () => {
  it("fails on a Dockerfile it cannot parse, with the engine's message", async () => {
    const error = await expectAppError(
      buildImage({
        docker,
        context: packContext({ Dockerfile: `FROM ${BASE}\nNOT_AN_INSTRUCTION x\n` }),
        dockerfile: "Dockerfile",
        builder: "CLASSIC",
        tag: tagFor("classic-parse"),
        onEvent: () => {},
      }),
      "BUILD_FAILED",
    );
    expect(error.message).toBe("dockerfile parse error line 2: unknown instruction: NOT_AN_INSTRUCTION");
  });

  it("cancels a running classic build and removes its container", async () => {
    const marker = `classic-cancel-${runId}`;
    const tag = tagFor("classic-cancel");
    const controller = new AbortController();
    const events: BuildEvent[] = [];
    const outcome = buildImage({
      docker,
      context: packContext({ Dockerfile: `FROM ${BASE}\nRUN echo ${marker} && sleep 30\n` }),
      dockerfile: "Dockerfile",
      builder: "CLASSIC",
      tag,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
      },
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(await waitFor(() => logLines(events).includes(marker), 30_000)).toBe(true);

    const abortedAt = Date.now();
    controller.abort();
    expect(await outcome).toMatchObject({ code: "BUILD_CANCELLED" });
    expect(Date.now() - abortedAt).toBeLessThan(2_000);
    expect(await waitFor(() => processesMatching(marker).length === 0, 15_000)).toBe(true);
    const leftovers = async () =>
      (await docker.listContainers({ all: true })).filter((c) => c.Command.includes(marker)).length === 0;
    expect(await waitFor(leftovers, 15_000)).toBe(true);
    console.info(`classic cancel: RUN process and container gone after ${Date.now() - abortedAt} ms`);
    expect(await imageExists(tag)).toBe(false);
  });
});

describe("buildImage without an engine", () => {
  it("reports the engine as unavailable", async () => {
    const error = await expectAppError(
      buildImage({
        docker: createDockerClient(`unix:///tmp/layerboard-no-engine-${runId}.sock`),
        context: packContext({ Dockerfile: `FROM ${BASE}\n` }),
        dockerfile: "Dockerfile",
        builder: "BUILDKIT",
        tag: "layerboard-test/never:latest",
        onEvent: () => {},
      }),
      "ENGINE_UNAVAILABLE",
    );
    expect(error.message).toMatch(/^engine unreachable: /);
  });
});
