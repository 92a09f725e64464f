// Two workers in their own processes, each with its own engine (a second dockerd on this
// machine), take builds from the one Postgres queue: every build runs once, on exactly one
// worker, and its image lands on that worker's engine only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  createDirectoryProject,
  imageExists,
  queueBuild,
  removeImages,
  startChildWorker,
  stopChildWorker,
  usePipelineRun,
  waitForBuild,
  writeContext,
  type ChildWorker,
} from "../support/pipeline";
import { startSecondEngine, type SecondEngine } from "../support/second-engine";

const run = usePipelineRun("BUILDER");
const { root, id } = run;
const MAIN_HOST = "unix:///var/run/docker.sock";
const BUILDS = 6;
let second: SecondEngine | undefined;
const workers: ChildWorker[] = [];
const mainImages: Array<string | null> = [];

beforeAll(async () => {
  const startedAt = Date.now();
  second = await startSecondEngine();
  console.info(`second engine on ${second.host} up with the base image loaded in ${Date.now() - startedAt} ms`);
  workers.push(await startChildWorker({ DOCKER_HOST: MAIN_HOST }));
  workers.push(await startChildWorker({ DOCKER_HOST: second.host, LAYERBOARD_NETWORK_MODE: "host" }));
});

afterAll(async () => {
  for (const worker of workers) await stopChildWorker(worker);
  await removeImages(mainImages, MAIN_HOST);
  await second?.remove();
});

describe("two workers on two engines", () => {
  it("shares the queued builds between them, each build on exactly one engine", async () => {
    const dir = writeContext(root, `two-engines-${id}`, {
      Dockerfile: [
        "ARG BASE_IMAGE",
        "FROM ${BASE_IMAGE}",
        "ARG N",
        'RUN echo "build $N" > /n.txt && sleep 1',
        'CMD ["cat", "/n.txt"]',
      ].join("\n"),
    });
    const project = await createDirectoryProject(
      `two-engines-${id}`,
      dir,
      Array.from({ length: BUILDS }, (_, i) => ({ name: `n${i + 1}`, buildArgs: { N: `${id}-${i + 1}` } })),
    );

    const queuedAt = Date.now();
    const ids: string[] = [];
    for (const variant of project.variants) ids.push(await queueBuild(run.token, variant.id));
    const builds = [];
    for (const buildId of ids) builds.push(await waitForBuild(buildId, undefined, 240_000));
    const allDoneMs = Date.now() - queuedAt;

    const hostOf = new Map([
      [workers[0].id, MAIN_HOST],
      [workers[1].id, second!.host],
    ]);
    const split = new Map<string, number>();
    for (const [i, build] of builds.entries()) {
      mainImages.push(build.imageTag);
      expect(build.status, `${build.id}: ${build.error}`).toBe("SUCCEEDED");
      expect(hostOf.has(build.workerId!)).toBe(true);
      split.set(build.workerId!, (split.get(build.workerId!) ?? 0) + 1);

      // Claimed once: one worker, one pipeline run.
      const starts = await db.logLine.count({ where: { buildId: build.id, text: { startsWith: "[layerboard] building " } } });
      expect(starts).toBe(1);

      const own = hostOf.get(build.workerId!)!;
      const other = own === MAIN_HOST ? second!.host : MAIN_HOST;
      expect(await imageExists(build.imageId!, own)).toBe(true);
      expect(await imageExists(build.imageTag!, own)).toBe(true);
      expect(await imageExists(build.imageId!, other)).toBe(false);
      expect(await imageExists(build.imageTag!, other)).toBe(false);

      const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: build.id } });
      expect(smoke.runs).toBe(true);
      expect(smoke.outputHead).toBe(`build ${id}-${i + 1}`);
    }
    expect(split.get(workers[0].id) ?? 0).toBeGreaterThanOrEqual(1);
    expect(split.get(workers[1].id) ?? 0).toBeGreaterThanOrEqual(1);
    console.info(
      `two engines: ${BUILDS} builds done in ${allDoneMs} ms; main engine ${split.get(workers[0].id) ?? 0}, second engine ${split.get(workers[1].id) ?? 0}; ` +
        `durations ${builds.map((b) => `${b.durationMs} ms`).join(", ")}`,
    );
  });
});
