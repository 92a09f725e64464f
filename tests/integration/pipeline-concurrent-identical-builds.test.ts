// Two identical builds running at once on one engine: BuildKit runs the shared work once and
// reports it to one of them only; both builds must still end with every step recorded done.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startBuild } from "@/lib/builds/start-build";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { BASE_IMAGE, createDirectoryProject, usePipelineRun, waitForBuild, writeContext } from "../support/pipeline";

const { root, id, images } = usePipelineRun();
let worker: WorkerHandle;

beforeAll(async () => {
  worker = await startWorker({ concurrency: 2 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

describe("identical builds at the same time on one engine", () => {
  it("records every step of both as done, the deduplicated ones as cached", async () => {
    const dir = writeContext(root, `twins-${id}`, {
      Dockerfile: [
        `FROM ${BASE_IMAGE}`,
        `RUN echo one-${id} && sleep 3`,
        "WORKDIR /app",
        "COPY Dockerfile /app/",
        `RUN echo two-${id} && sleep 3`,
        `CMD ["true"]`,
      ].join("\n"),
    });
    const project = await createDirectoryProject(`twins-${id}`, dir, [{ name: "a" }, { name: "b" }]);
    const queued = await Promise.all(project.variants.map((v) => startBuild(v.id)));
    const builds = [];
    for (const q of queued) builds.push(await waitForBuild(q.id, undefined, 120_000));

    for (const build of builds) {
      images.push(build.imageTag);
      expect(build.status, `${build.error}`).toBe("SUCCEEDED");
      const steps = await db.buildStep.findMany({ where: { buildId: build.id } });
      expect(build.stepsTotal).toBe(steps.length);
      expect(build.stepsDone).toBe(steps.length);
      for (const step of steps) {
        expect(step.startedAt, step.name).toBeInstanceOf(Date);
        expect(step.completedAt, step.name).toBeInstanceOf(Date);
      }
    }
    // Same layers; the images differ only by their layerboard.build label.
    const digests = async (buildId: string) =>
      (await db.layer.findMany({ where: { buildId, image: "main" }, orderBy: { position: "asc" } })).map((l) => l.layerDigest);
    expect(await digests(builds[0].id)).toEqual(await digests(builds[1].id));
    const settled = await db.logLine.findMany({ where: { buildId: { in: builds.map((b) => b.id) }, text: { contains: "were run by an identical build" } } });
    // Both ran at once (concurrency 2), so one of them had its steps run by the other.
    expect(settled.length).toBeGreaterThanOrEqual(1);
    console.info(`identical builds: ${settled.map((l) => l.text).join("; ")}`);
  });
});
