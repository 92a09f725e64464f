// The bundled example (examples/pyapp) built four ways through the whole pipeline — queue,
// worker, real engine, analysis, smoke run, Postgres — and every recorded number checked
// against what the docker CLI says about the same image.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startBuild } from "@/lib/builds/start-build";
import { seedExampleProject } from "@/lib/builds/seed";
import { EXAMPLE_PROJECT_SLUG } from "@/lib/data/seed";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { stopQueue } from "@/lib/builds/queue";
import { adviseOnLayers } from "@/lib/analysis/advice";
import { getBuild } from "@/lib/data/builds";
import type { Build } from "@/lib/generated/prisma/client";
import { BASE_IMAGE, docker, removeImages, waitForBuild } from "../support/pipeline";

let worker: WorkerHandle;
const variantIds = new Map<string, string>();
const builds = new Map<string, Build>();
const images: Array<string | null> = [];

const historySizes = async (imageId: string) =>
  (await docker(["history", "--no-trunc", "--human=false", "--format", "{{.Size}}", imageId]))
    .trim()
    .split("\n")
    .map(Number)
    .reverse();

const inspectSize = async (imageId: string) => Number((await docker(["image", "inspect", "-f", "{{.Size}}", imageId])).trim());

const runVariant = async (name: string) => {
  const queued = await startBuild(variantIds.get(name)!);
  const build = await waitForBuild(queued.id, undefined, 600_000);
  images.push(build.imageTag, build.imageTag && `${build.imageTag}-build`);
  return build;
};

/** The checks every successful build of the example gets: status, sizes to the byte, steps. */
const expectRecordedLikeTheEngine = async (build: Build) => {
  expect(build.status, `${build.id}: ${build.error}`).toBe("SUCCEEDED");
  expect(build.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(build.storageDriver).toBe("overlay2");

  const layers = await db.layer.findMany({ where: { buildId: build.id, image: "main" }, orderBy: { position: "asc" } });
  const recorded = layers.map((l) => Number(l.size));
  expect(recorded).toEqual(await historySizes(build.imageId!));
  const total = await inspectSize(build.imageId!);
  expect(Number(build.totalSize)).toBe(total);
  // On overlay2 the image size is exactly the sum of its layers.
  expect(recorded.reduce((a, b) => a + b, 0)).toBe(total);
  // The base image's entries come first and add up to the base image's size.
  const baseLayers = layers.filter((l) => l.isFromBase);
  expect(baseLayers.map((l) => l.position)).toEqual(baseLayers.map((_, i) => i));
  expect(baseLayers.reduce((sum, l) => sum + Number(l.size), 0)).toBe(await inspectSize(BASE_IMAGE));

  const steps = await db.buildStep.findMany({ where: { buildId: build.id }, orderBy: { position: "asc" } });
  expect(steps.length).toBeGreaterThan(3);
  expect(build.stepsTotal).toBe(steps.length);
  expect(build.stepsDone).toBe(steps.length);
  expect(build.cachedSteps).toBe(steps.filter((s) => s.cached).length);
  for (const step of steps) {
    expect(step.startedAt, step.name).toBeInstanceOf(Date);
    expect(step.completedAt, step.name).toBeInstanceOf(Date);
    expect(step.completedAt!.getTime()).toBeGreaterThanOrEqual(step.startedAt!.getTime());
    expect(step.error).toBeNull();
  }
  expect(steps.some((s) => /^\[.*\] RUN /.test(s.name))).toBe(true);
  return { steps, layers };
};

beforeAll(async () => {
  // The example needs examples/ under LAYERBOARD_CONTEXT_ROOTS, which is the default.
  // The files of a run share one database: the content tests may have seeded it already.
  await seedExampleProject();
  expect(await seedExampleProject()).toEqual({ created: false });
  const project = await db.project.findUniqueOrThrow({ where: { slug: EXAMPLE_PROJECT_SLUG }, include: { variants: true } });
  expect(project.variants.map((v) => v.name)).toEqual(expect.arrayContaining(["single-stage", "multi-stage", "venv --copies"]));
  for (const variant of project.variants) variantIds.set(variant.name, variant.id);
  worker = await startWorker({ concurrency: 1 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
  await stopQueue();
  await removeImages(images);
});

describe("the pyapp example, built four ways", () => {
  it("single-stage: builds, runs, and its sizes are the engine's", async () => {
    const build = await runVariant("single-stage");
    builds.set("single-stage", build);
    await expectRecordedLikeTheEngine(build);
    const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: build.id } });
    expect(smoke).toMatchObject({ runs: true, exitCode: 0 });
    expect(smoke.outputHead).toContain("layerdemo ok: 338350");
  });

  it("multi-stage: builds and runs", async () => {
    const build = await runVariant("multi-stage");
    builds.set("multi-stage", build);
    await expectRecordedLikeTheEngine(build);
    const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: build.id } });
    expect(smoke).toMatchObject({ runs: true, exitCode: 0, timedOut: false, oomKilled: false });
    expect(smoke.outputHead).toContain("layerdemo ok: 338350");
    expect(smoke.command).toEqual(["/opt/venv/bin/python", "-m", "layerdemo"]);
  });

  it("venv --copies: builds, and the smoke run records that it does not start", async () => {
    const build = await runVariant("venv --copies");
    builds.set("venv --copies", build);
    await expectRecordedLikeTheEngine(build);
    const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: build.id } });
    expect(smoke.runs).toBe(false);
    expect(smoke.exitCode).toBe(127);
    expect(`${smoke.outputHead}\n${smoke.outputTail}`).toContain("cannot open shared object file");
  });

  it("builder pattern: records the build image and the runtime image, and the runtime image runs", async () => {
    const build = await runVariant("builder pattern");
    builds.set("builder pattern", build);
    const { steps } = await expectRecordedLikeTheEngine(build);
    expect(build.buildImageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(build.buildImageId).not.toBe(build.imageId);
    expect(Number(build.buildImageSize)).toBe(await inspectSize(build.buildImageId!));
    const buildLayers = await db.layer.findMany({ where: { buildId: build.id, image: "build" }, orderBy: { position: "asc" } });
    expect(buildLayers.map((l) => Number(l.size))).toEqual(await historySizes(build.buildImageId!));
    expect(Number(build.buildImageSize)).toBeGreaterThan(Number(build.totalSize));
    // Both builds' steps are recorded: the build image's RUN and the runtime image's ADD.
    expect(steps.some((s) => s.name.includes("tar -C /opt -czf /out/venv.tar.gz venv"))).toBe(true);
    expect(steps.some((s) => s.name.includes("ADD artifact/venv.tar.gz /opt/"))).toBe(true);
    const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: build.id } });
    expect(smoke).toMatchObject({ runs: true, exitCode: 0 });
    expect(smoke.outputHead).toContain("layerdemo ok: 338350");
  });

  it("single-stage is the largest; --copies the smallest", () => {
    const size = (name: string) => Number(builds.get(name)!.totalSize);
    expect(size("single-stage")).toBeGreaterThan(size("multi-stage"));
    expect(size("single-stage")).toBeGreaterThan(size("builder pattern"));
    expect(size("single-stage")).toBeGreaterThan(size("venv --copies"));
    expect(size("venv --copies")).toBeLessThan(size("multi-stage"));
    console.info(
      "example variants:\n" +
        [...builds.entries()]
          .map(
            ([name, b]) =>
              `  ${name}: ${b.totalSize} bytes` +
              (b.buildImageSize ? ` (build image ${b.buildImageSize} bytes)` : "") +
              `, ${b.durationMs} ms, ${b.cachedSteps}/${b.stepsTotal} steps cached`,
          )
          .join("\n"),
    );
  });

  it("advice flags compilers in the single-stage image and not in the multi-stage one", async () => {
    const advice = async (name: string) => {
      const build = await getBuild(builds.get(name)!.id);
      return adviseOnLayers({ layers: build.layers.filter((layer) => layer.image === "main") });
    };
    const single = (await advice("single-stage")).find((finding) => finding.code === "BUILD_TOOLS_IN_FINAL_IMAGE");
    expect(single?.instruction).toMatch(/build-essential|gcc|python3-dev/);
    expect(single?.bytesAtStake).toBeGreaterThan(100_000_000);
    expect((await advice("multi-stage")).map((finding) => finding.code)).not.toContain("BUILD_TOOLS_IN_FINAL_IMAGE");
  });

  it("rebuilding a variant uses the cache and gives the same layers", async () => {
    const first = builds.get("multi-stage")!;
    const again = await runVariant("multi-stage");
    const { steps } = await expectRecordedLikeTheEngine(again);
    expect(again.cachedSteps).toBeGreaterThan(0);
    const runSteps = steps.filter((s) => /^\[.*\] RUN /.test(s.name));
    expect(runSteps.length).toBeGreaterThan(0);
    for (const step of runSteps) {
      expect(step.cached, step.name).toBe(true);
      // Same instant; in milliseconds the two stamps may round 1 apart.
      expect(Math.abs(step.completedAt!.getTime() - step.startedAt!.getTime())).toBeLessThanOrEqual(1);
    }
    // The same layers; the images differ only by their layerboard.build label.
    const digests = async (buildId: string) =>
      (await db.layer.findMany({ where: { buildId, image: "main" }, orderBy: { position: "asc" } })).map((l) => l.layerDigest);
    expect(await digests(again.id)).toEqual(await digests(first.id));
    expect(Number(again.totalSize)).toBe(Number(first.totalSize));
    console.info(`multi-stage rebuild: ${again.durationMs} ms, ${again.cachedSteps}/${again.stepsTotal} steps cached`);
  });
});
