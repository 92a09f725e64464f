// Issue 16: the pipeline records a build without waiting for the image export. A classic build
// whose history cannot say which zero-byte entry owns a layer (WORKDIR kept, an empty RUN dropped)
// is recorded with exact sizes first and settled from the export after its final status: in the
// end the stored layers match the config `docker save` writes.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startBuild } from "@/lib/builds/start-build";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { BASE_IMAGE, createDirectoryProject, docker, usePipelineRun, waitFor, waitForBuild, writeContext } from "../support/pipeline";

const { root, id, images } = usePipelineRun();
let worker: WorkerHandle;

beforeAll(async () => {
  worker = await startWorker({ concurrency: 1 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

type SavedConfig = { history: Array<{ empty_layer?: boolean }>; rootfs: { diff_ids: string[] } };
const savedConfig = (image: string): SavedConfig => {
  const archive = path.join(root, `mapping-${id}.tar`);
  expect(spawnSync("docker", ["save", "-o", archive, image]).status).toBe(0);
  const read = (member: string) => spawnSync("tar", ["-xOf", archive, member], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).stdout;
  const manifest = JSON.parse(read("manifest.json")) as Array<{ Config: string }>;
  const config = JSON.parse(read(manifest[0].Config)) as SavedConfig;
  fs.rmSync(archive);
  return config;
};

describe("layer mapping off the critical path", () => {
  it("settles an ambiguous mapping from the export after the result, sizes exact all along", async () => {
    const dir = writeContext(root, `mapping-${id}`, {
      Dockerfile: [`FROM ${BASE_IMAGE}`, "WORKDIR /app", "COPY f.txt /app/f.txt", "RUN true", `CMD ["cat", "/app/f.txt"]`].join("\n"),
      "f.txt": `${id}\n`,
    });
    const project = await createDirectoryProject(`mapping-${id}`, dir, [{ name: "classic" }]);
    await db.variant.updateMany({ where: { projectId: project.id }, data: { builder: "CLASSIC" } });
    const build = await waitForBuild((await startBuild(project.variants[0].id)).id, undefined, 240_000);
    images.push(build.imageTag);
    expect(build.status, `${build.error}`).toBe("SUCCEEDED");
    const imageId = (await docker(["image", "inspect", "-f", "{{.Id}}", build.imageTag!])).trim();
    const config = savedConfig(imageId);
    // The refinement runs right after the final status, on the worker that built it.
    const layers = await waitFor("the settled layer mapping", async () => {
      const rows = await db.layer.findMany({ where: { buildId: build.id, image: "main" }, orderBy: { position: "asc" } });
      return rows.some((row) => row.layerDigest !== null) ? rows : null;
    });
    expect(layers.map((layer) => layer.isEmpty)).toEqual(config.history.map((entry) => entry.empty_layer === true));
    expect(layers.filter((layer) => !layer.isEmpty).map((layer) => layer.layerDigest)).toEqual(config.rootfs.diff_ids);
    const cliSizes = (await docker(["history", "--human=false", "--no-trunc", "--format", "{{.Size}}", imageId])).trim().split("\n").map(Number).reverse();
    expect(layers.map((layer) => Number(layer.size))).toEqual(cliSizes);
    expect(layers.find((layer) => layer.instruction === "WORKDIR /app")).toMatchObject({ isEmpty: false });
  });
});
