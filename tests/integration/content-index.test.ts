// The content index on the real engine and Postgres: the multi-stage example analysed after its
// build (queue, worker, export stream), checked against `find / -xdev` in a container of the same
// image; a derived image reuses the shared layers; bad input fails clearly and leaves nothing
// behind; the garbage collection removes what no analysis references.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import * as tar from "tar-stream";
import { db } from "@/lib/db";
import { startBuild } from "@/lib/builds/start-build";
import { seedExampleProject } from "@/lib/builds/seed";
import { EXAMPLE_PROJECT_SLUG } from "@/lib/data/seed";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { analyseImageContent, queueContentAnalysis } from "@/lib/builds/content-analysis";
import {
  claimContentAnalysis,
  createContentAnalyses,
  deleteUnreferencedContentLayers,
  findContentAnalysis,
  getFinalFilesystem,
} from "@/lib/data/content";
import { createDockerClient } from "@/lib/docker/client";
import { exportImage } from "@/lib/docker/export-image";
import { createDirectoryProject, docker, queueBuild, usePipelineRun, waitFor, waitForBuild } from "../support/pipeline";

const run = usePipelineRun("ADMIN");
const engine = createDockerClient();
let worker: WorkerHandle;
let multiStage: { buildId: string; imageId: string };
const lbTag = (name: string) => `lb-content-core-${name}:${run.id}`;

// Files a running container has that the image does not (the engine's init layer and bind mounts).
const RUNTIME_PATHS = new Set(["/.dockerenv", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf"]);

/** Regular files of the image as a container sees them, one per inode: count and bytes. */
const groundTruth = async (image: string, dir = "/") => {
  const out = await docker(["run", "--rm", "--network", "none", "--entrypoint", "find", image, dir, "-xdev", "-type", "f", "-printf", "%i %s %p\\n"]);
  const inodes = new Map<string, number>();
  for (const line of out.trim().split("\n").filter(Boolean)) {
    const [inode, size, ...rest] = line.split(" ");
    if (RUNTIME_PATHS.has(rest.join(" "))) continue;
    inodes.set(inode, Number(size));
  }
  return { files: inodes.size, bytes: [...inodes.values()].reduce((a, b) => a + b, 0) };
};

const waitForAnalysis = (buildId: string, image = "main") =>
  waitFor(
    `content analysis of ${buildId} (${image})`,
    async () => {
      const analysis = await findContentAnalysis(buildId, image);
      return analysis && (analysis.status === "SUCCEEDED" || analysis.status === "FAILED") ? analysis : null;
    },
    300_000,
    250,
  );

const fakeSucceededBuild = async (imageId: string) => {
  const project = await db.project.findUniqueOrThrow({ where: { slug: EXAMPLE_PROJECT_SLUG }, include: { variants: true } });
  const now = new Date();
  return db.build.create({
    data: { projectId: project.id, variantId: project.variants[0].id, status: "SUCCEEDED", imageId, queuedAt: now, startedAt: now, finishedAt: now, durationMs: 0 },
  });
};

beforeAll(async () => {
  // The files of a run share one database: start from an empty content index, so that this
  // file's first analysis reads the whole export whatever other files analysed before.
  await db.contentAnalysis.deleteMany();
  await db.contentLayer.deleteMany();
  await seedExampleProject();
  worker = await startWorker({ concurrency: 1 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

describe("content index on the real engine", () => {
  it("indexes the multi-stage example after its build, matching what a container of the image sees", async () => {
    const project = await db.project.findUniqueOrThrow({ where: { slug: EXAMPLE_PROJECT_SLUG }, include: { variants: true } });
    const variant = project.variants.find((v) => v.name === "multi-stage")!;
    const build = await waitForBuild((await startBuild(variant.id)).id, undefined, 600_000);
    run.images.push(build.imageTag);
    expect(build.status, build.error ?? "").toBe("SUCCEEDED");
    multiStage = { buildId: build.id, imageId: build.imageId! };

    const analysis = await waitForAnalysis(build.id);
    expect(analysis.error).toBeNull();
    expect(analysis.status).toBe("SUCCEEDED");
    // The build's result was recorded before the analysis started: it did not wait.
    expect(new Date(analysis.startedAt!).getTime()).toBeGreaterThanOrEqual(build.finishedAt!.getTime());
    expect(analysis.progress.bytesRead).toBeGreaterThan(Number(build.totalSize));
    expect(analysis.progress.bytesTotal).toBe(analysis.progress.bytesRead);

    const truth = await groundTruth(build.imageId!);
    const filesystem = await getFinalFilesystem(build.id);
    const ours = [...filesystem.entries.values()].filter((e) => e.kind === "file" && !RUNTIME_PATHS.has(e.path));
    expect(ours.length).toBe(truth.files);
    expect(ours.reduce((sum, e) => sum + e.size, 0)).toBe(truth.bytes);
    expect(analysis.result!.files).toBeGreaterThanOrEqual(truth.files);

    const diffIds = JSON.parse(await docker(["image", "inspect", "-f", "{{json .RootFS.Layers}}", build.imageId!])) as string[];
    expect(analysis.result!.layers.map((l) => l.diffId)).toEqual(diffIds);
    const layerRows = await db.layer.findMany({ where: { buildId: build.id, image: "main", isEmpty: false }, orderBy: { position: "asc" } });
    expect(analysis.result!.layers.map((l) => l.isFromBase)).toEqual(layerRows.map((l) => l.isFromBase));
    // Each layer's stats add up to the merged image when nothing was deleted in between.
    const stored = await db.contentLayer.findMany({ where: { diffId: { in: diffIds } } });
    expect(stored).toHaveLength(new Set(diffIds).size);
    for (const layer of analysis.result!.layers) expect(layer.stats.tarBytes).toBeGreaterThan(0);
    expect(filesystem.captured.has("/var/lib/dpkg/status")).toBe(true);
  });

  it("re-analyses an image that shares layers without parsing the shared ones, and counts a deleted directory as waste", async () => {
    const base = lbTag("ms");
    await docker(["tag", multiStage.imageId, base]);
    run.images.push(base);
    const dir = path.join(run.root, "derived");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Dockerfile"), `FROM ${base}\nRUN rm -rf /usr/share/doc && echo ${run.id} > /added.txt\n`);
    const project = await createDirectoryProject(`content-derived-${run.id}`, dir, [{ name: "derived" }]);
    const build = await waitForBuild(await queueBuild(run.token, project.variants[0].id), undefined, 300_000);
    run.images.push(build.imageTag);
    expect(build.status, build.error ?? "").toBe("SUCCEEDED");

    const analysis = await waitForAnalysis(build.id);
    expect(analysis.status, analysis.error?.message).toBe("SUCCEEDED");
    const first = (await findContentAnalysis(multiStage.buildId))!;
    const shared = first.result!.layers.length;
    expect(analysis.result!.layers).toHaveLength(shared + 1);
    // Every shared layer was found indexed and only drained; the new top layer was parsed.
    expect(analysis.result!.layers.map((l) => l.reused)).toEqual([...Array(shared).fill(true), false]);
    const joins = await db.contentAnalysisLayer.findMany({ where: { analysis: { buildId: build.id } }, orderBy: { index: "asc" } });
    expect(joins.map((j) => j.reused)).toEqual([...Array(shared).fill(true), false]);

    // rm -rf /usr/share/doc: every byte under it in the lower layers becomes reclaimable, nothing else changes.
    const docs = await groundTruth(multiStage.imageId, "/usr/share/doc");
    expect(docs.bytes).toBeGreaterThan(0);
    const total = (w: { ownReclaimableBytes: number; baseReclaimableBytes: number }) => w.ownReclaimableBytes + w.baseReclaimableBytes;
    expect(total(analysis.result!.waste) - total(first.result!.waste)).toBe(docs.bytes);
    const filesystem = await getFinalFilesystem(build.id);
    expect(filesystem.entries.has("/usr/share/doc")).toBe(false);
    expect(filesystem.entries.get("/added.txt")).toMatchObject({ kind: "file", size: run.id.length + 1, layer: shared });
  });

  it("re-analyses a fully indexed image from the index alone, with the same results", async () => {
    const before = (await findContentAnalysis(multiStage.buildId))!;
    await createContentAnalyses(multiStage.buildId, [{ image: "main", imageId: multiStage.imageId }]);
    await analyseImageContent((await claimContentAnalysis(multiStage.buildId, "main"))!, { docker: engine });
    const again = (await findContentAnalysis(multiStage.buildId))!;
    expect(again.status).toBe("SUCCEEDED");
    expect(again.result!.layers.every((layer) => layer.reused)).toBe(true);
    // No export was read at all.
    expect(again.progress.bytesRead).toBe(0);
    expect({ ...again.result!, layers: [] }).toEqual({ ...before.result!, layers: [] });
    expect(again.result!.layers.map((l) => l.stats)).toEqual(before.result!.layers.map((l) => l.stats));
  });

  it("garbage-collects the layers no analysis references once their build is deleted", async () => {
    const derived = await db.contentAnalysis.findFirstOrThrow({ where: { build: { project: { slug: `content-derived-${run.id}` } } }, include: { layers: true } });
    const top = derived.layers.find((l) => !l.reused)!;
    expect(await db.contentLayer.count({ where: { diffId: top.diffId } })).toBe(1);
    await db.build.delete({ where: { id: derived.buildId } });
    expect(await deleteUnreferencedContentLayers()).toBeGreaterThanOrEqual(1);
    expect(await db.contentLayer.count({ where: { diffId: top.diffId } })).toBe(0);
    expect(await db.contentLayerExportName.count({ where: { diffId: top.diffId } })).toBe(0);
    // The multi-stage build still references the shared ones.
    const shared = derived.layers.filter((l) => l.reused).map((l) => l.diffId);
    expect(await db.contentLayer.count({ where: { diffId: { in: shared } } })).toBe(new Set(shared).size);
  });

  it("fails with 'image no longer on the engine' when the image was removed, and the build keeps its result", async () => {
    // A real image (a commit of a container), removed from the engine after its build was recorded.
    const image = lbTag("gone");
    const container = (await docker(["create", multiStage.imageId])).trim();
    await docker(["commit", container, image]);
    await docker(["rm", container]);
    const imageId = (await docker(["image", "inspect", "-f", "{{.Id}}", image])).trim();
    const build = await fakeSucceededBuild(imageId);
    await docker(["rmi", image]);
    expect(await queueContentAnalysis(build.id)).toBe(true);
    const analysis = await waitForAnalysis(build.id);
    expect(analysis.status).toBe("FAILED");
    expect(analysis.error).toEqual({ code: "IMAGE_GONE", message: "image no longer on the engine" });
    expect(analysis.result).toBeNull();
    expect((await db.build.findUniqueOrThrow({ where: { id: build.id } })).status).toBe("SUCCEEDED");
    expect(await db.contentAnalysisLayer.count({ where: { analysis: { buildId: build.id } } })).toBe(0);
  });

  it("fails clearly on a truncated export stream and writes nothing", async () => {
    // The multi-stage image plus one new 3 MB layer (a committed container: no builder needed).
    const image = lbTag("trunc");
    const container = `lb-content-core-trunc-${run.id}`;
    await docker(["run", "--name", container, "--network", "none", "--entrypoint", "sh", multiStage.imageId, "-c", "head -c 3000000 /dev/urandom > /random.bin"]);
    await docker(["commit", container, image]);
    await docker(["rm", container]);
    run.images.push(image);
    const imageId = (await docker(["image", "inspect", "-f", "{{.Id}}", image])).trim();
    const diffIds = JSON.parse(await docker(["image", "inspect", "-f", "{{json .RootFS.Layers}}", image])) as string[];
    const top = diffIds[diffIds.length - 1];
    const build = await fakeSucceededBuild(imageId);
    await createContentAnalyses(build.id, [{ image: "main", imageId }]);
    const claimed = (await claimContentAnalysis(build.id, "main"))!;
    const layersBefore = await db.contentLayer.count();

    // Where the new layer sits in the real export (entries are sorted by name): cut it halfway through.
    let topEntry = "";
    let cutAt = 0;
    const scan = tar.extract();
    (await exportImage(engine, imageId)).pipe(scan as unknown as NodeJS.WritableStream);
    for await (const entry of scan) {
      if (entry.header.name.endsWith("/layer.tar") && entry.header.size! > 3_000_000 && entry.header.size! < 3_200_000) {
        topEntry = entry.header.name;
        cutAt = entry.offset + 1_500_000;
      }
      for await (const _chunk of entry) void _chunk;
    }
    expect(topEntry).toMatch(/^[0-9a-f]{64}\/layer\.tar$/);
    const truncated = async (client: Docker, id: string) => {
      const source = await exportImage(client, id);
      return (async function* () {
        let sent = 0;
        for await (const chunk of source) {
          const room = cutAt - sent;
          if (room <= 0) break;
          yield chunk.length > room ? chunk.subarray(0, room) : chunk;
          sent += Math.min(chunk.length, room);
        }
      })();
    };
    await analyseImageContent(claimed, { docker: engine, openExport: truncated });

    const analysis = (await findContentAnalysis(build.id))!;
    expect(analysis.status).toBe("FAILED");
    expect(analysis.error?.code).toBe("EXPORT_CORRUPT");
    expect(analysis.error?.message).toBe(`layer ${topEntry} is truncated or corrupt: Unexpected end of data`);
    expect(analysis.result).toBeNull();
    expect(await db.contentLayer.count({ where: { diffId: top } })).toBe(0);
    expect(await db.contentLayer.count()).toBe(layersBefore);
    expect(await db.contentAnalysisLayer.count({ where: { analysisId: claimed.id } })).toBe(0);
  });
});
