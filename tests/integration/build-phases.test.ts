// Issue 13 items 3 and 4 on real builds: every BuildKit log line is stored with the step that
// printed it, a builder-pattern build's steps with the image they belong to, and the pipeline's
// time outside BuildKit as phases in order; a queued build knows its place in the queue.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { findQueuePosition } from "@/lib/data/queue-position";
import { requestBuildCancel } from "@/lib/data/build-status";
import { parseBuildPhases } from "@/lib/builds/build-phases";
import { BASE_IMAGE, createDirectoryProject, queueBuild, usePipelineRun, waitForBuild, writeContext } from "../support/pipeline";

const run = usePipelineRun("ADMIN");
const { root, id, images } = run;
let worker: WorkerHandle | undefined;

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

const phasesOf = async (buildId: string) => parseBuildPhases((await db.build.findUniqueOrThrow({ where: { id: buildId }, select: { phases: true } })).phases);

describe("build phases, step images and log steps on real builds", () => {
  it("gives queued builds their place in the queue, oldest first", async () => {
    const dir = writeContext(root, `queued-${id}`, { Dockerfile: `FROM ${BASE_IMAGE}\nCMD ["true"]\n` });
    const project = await createDirectoryProject(`lb-h13-logs-queued-${id}`, dir, [{ name: "default" }]);
    // No worker runs yet: both stay queued.
    const first = await queueBuild(run.token, project.variants[0].id);
    const second = await queueBuild(run.token, project.variants[0].id);
    const ahead = await db.build.count({ where: { status: "QUEUED", id: { notIn: [first, second] } } });
    expect(await findQueuePosition(first)).toBe(ahead + 1);
    expect(await findQueuePosition(second)).toBe(ahead + 2);
    expect(await requestBuildCancel(first)).toBe("CANCELLED");
    expect(await findQueuePosition(first)).toBeNull();
    expect(await findQueuePosition(second)).toBe(ahead + 1);
    expect(await requestBuildCancel(second)).toBe("CANCELLED");
  });

  it("records a builder-pattern build's phases in order, its steps by image and each log line's step", async () => {
    const dir = writeContext(root, `phases-${id}`, {
      "Dockerfile.build": `FROM ${BASE_IMAGE}\nRUN echo "compiling ${id}" && echo "artefact ${id}" > /app.txt\n`,
      "Dockerfile.runtime": `FROM ${BASE_IMAGE}\nCOPY artifact/app.txt /app.txt\nRUN echo "runtime ${id}" && cat /app.txt\nCMD ["cat", "/app.txt"]\n`,
    });
    const project = await createDirectoryProject(`lb-h13-logs-phases-${id}`, dir, [{ name: "builder", dockerfile: "Dockerfile.build" }]);
    await db.variant.update({
      where: { id: project.variants[0].id },
      data: { strategy: "BUILDER_PATTERN", runtimeDockerfile: "Dockerfile.runtime", artifactPath: "/app.txt" },
    });
    worker ??= await startWorker({ concurrency: 1 });
    const build = await waitForBuild(await queueBuild(run.token, project.variants[0].id), undefined, 180_000);
    images.push(build.imageTag, build.imageTag && `${build.imageTag}-build`);
    expect(build.status).toBe("SUCCEEDED");

    const phases = await phasesOf(build.id);
    expect(phases.map((p) => p.name)).toEqual(["context", "build-image", "build-analysis", "copy-artifact", "runtime-image", "analysis", "smoke"]);
    let cursor = build.startedAt!.getTime();
    for (const phase of phases) {
      expect(phase.finishedAt).not.toBeNull();
      expect(Date.parse(phase.startedAt)).toBeGreaterThanOrEqual(cursor);
      cursor = Date.parse(phase.finishedAt!);
      expect(cursor).toBeGreaterThanOrEqual(Date.parse(phase.startedAt));
    }
    expect(cursor).toBeLessThanOrEqual(build.finishedAt!.getTime());

    const steps = await db.buildStep.findMany({ where: { buildId: build.id } });
    const compile = steps.find((s) => s.name.includes(`compiling ${id}`));
    const runtime = steps.find((s) => s.name.includes(`runtime ${id}`));
    expect(compile?.image).toBe("build");
    expect(runtime?.image).toBe("main");
    expect(steps.find((s) => s.name.includes("COPY artifact/app.txt"))?.image).toBe("main");

    const lines = await db.logLine.findMany({ where: { buildId: build.id }, orderBy: { seq: "asc" } });
    const compiled = lines.find((l) => l.text.includes(`compiling ${id}`) && !l.text.includes("RUN"));
    const ran = lines.find((l) => l.text.includes(`artefact ${id}`) && l.text.startsWith("[runtime image]"));
    expect(compiled?.stepDigest).toBe(compile!.digest);
    expect(ran?.stepDigest).toBe(runtime!.digest);
    // Layerboard's own lines belong to no step.
    const own = lines.filter((l) => l.stream === "system");
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((l) => l.stepDigest === null)).toBe(true);
  });

  it("ends the open phase of a failed build and ties the failing step's output to it", async () => {
    const dir = writeContext(root, `failing-${id}`, {
      Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo "before ${id}"\nRUN echo "about to fail ${id}" && ls /missing-${id}\n`,
    });
    const project = await createDirectoryProject(`lb-h13-logs-failing-${id}`, dir, [{ name: "default" }]);
    worker ??= await startWorker({ concurrency: 1 });
    const build = await waitForBuild(await queueBuild(run.token, project.variants[0].id), undefined, 120_000);
    images.push(build.imageTag);
    expect(build.status).toBe("FAILED");

    const phases = await phasesOf(build.id);
    expect(phases.map((p) => p.name)).toEqual(["context", "engine-build"]);
    expect(phases.every((p) => p.finishedAt !== null)).toBe(true);

    const failed = await db.buildStep.findFirstOrThrow({ where: { buildId: build.id, error: { not: null } } });
    expect(failed.name).toContain(`about to fail ${id}`);
    const output = await db.logLine.findFirstOrThrow({ where: { buildId: build.id, text: { contains: `about to fail ${id}` }, NOT: { text: { contains: "RUN" } } } });
    expect(output.stepDigest).toBe(failed.digest);
  });
});
