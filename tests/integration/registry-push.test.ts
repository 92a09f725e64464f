// Issue 17 against real parts: a real registry on loopback (Debian's docker-registry), the real
// engine pushing through the pipeline, a second engine in its own network namespace pulling
// what was pushed. Every recorded compressed layer size is compared with the manifest skopeo
// reads back, byte for byte; the pull-cost figures with the bytes the second engine actually
// downloads (the registry's log); bad registries leave a clear message and an intact build.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { GET as getBuildRoute } from "@/app/api/builds/[id]/route";
import { GET as getReportRoute } from "@/app/api/builds/[id]/report/route";
import { GET as getRegistryRoute, PUT as putRegistryRoute } from "@/app/api/projects/[id]/registry/route";
import { computeComparisonPullCost, computePullCost, type PullLayer } from "@/lib/analysis/pull-cost";
import { BASE_IMAGE, REPO, callRoute, createDirectoryProject, docker, queueBuild, usePipelineRun, waitFor, waitForBuild, writeContext } from "../support/pipeline";
import { startRegistry, type TestRegistry } from "../support/registry";
import { createSecondEngine, type SecondEngine } from "../support/second-engine";

const execFileP = promisify(execFile);
const run = usePipelineRun("ADMIN");
const { root, id } = run;
const PASSWORD = `pw-${id}-Zq8!secret`;
let worker: WorkerHandle;
let open: TestRegistry;
let withAuth: TestRegistry;
let readonly: TestRegistry;
let second: SecondEngine | undefined;
let secondRegistry: TestRegistry | undefined;
const baseRepo = `lb-h17-base-${id}`;

type Manifest = { config: { digest: string; size: number }; layers: Array<{ digest: string; size: number; mediaType: string }> };
const skopeoManifest = async (ref: string): Promise<Manifest> =>
  JSON.parse((await execFileP("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${ref}`])).stdout) as Manifest;

const setRegistry = async (projectId: string, body: Record<string, unknown>) => {
  const response = await callRoute(putRegistryRoute, { method: "PUT", url: `/api/projects/${projectId}/registry`, token: run.token, params: { id: projectId }, body });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(text).not.toContain(PASSWORD);
  return JSON.parse(text) as { registry: { hasPassword: boolean } };
};

const pullLayersOf = async (buildId: string): Promise<PullLayer[]> =>
  (await db.layer.findMany({ where: { buildId, image: "main", isEmpty: false }, orderBy: { position: "asc" } })).map((layer) => ({
    key: layer.compressedDigest ?? layer.layerDigest!,
    compressedSize: Number(layer.compressedSize),
    isFromBase: layer.isFromBase,
  }));

const build = async (variantId: string) => {
  const done = await waitForBuild(await queueBuild(run.token, variantId), undefined, 600_000);
  run.images.push(done.imageTag);
  return done;
};

// Two tiny variants FROM the base image pulled from the registry (item 7): a shared first layer
// (the same RUN, cached by the second build), then one layer of their own.
const tinyDockerfile = [
  "ARG BASE_IMAGE",
  "FROM ${BASE_IMAGE}",
  `RUN head -c 400000 /dev/urandom > /shared-${id}.bin`,
  "ARG FLAVOUR",
  'RUN echo "$FLAVOUR" > /flavour && head -c 150000 /dev/urandom > /own.bin',
  'CMD ["cat", "/flavour"]',
].join("\n");

let tinyProject: Awaited<ReturnType<typeof createDirectoryProject>>;

beforeAll(async () => {
  [open, withAuth, readonly] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: { username: "ci", password: PASSWORD } }),
    startRegistry({ readonly: true }),
  ]);
  // The base image in the registry: what the variants name as their base (item 7).
  await docker(["tag", BASE_IMAGE, `${open.host}/${baseRepo}:1`]);
  await docker(["push", `${open.host}/${baseRepo}:1`]);
  await docker(["rmi", `${open.host}/${baseRepo}:1`]);
  worker = await startWorker({ concurrency: 1 });
  const dir = writeContext(root, `registry-${id}`, { Dockerfile: tinyDockerfile });
  tinyProject = await createDirectoryProject(`registry-${id}`, dir, [
    { name: "alpha", buildArgs: { FLAVOUR: "alpha" } },
    { name: "beta", buildArgs: { FLAVOUR: "beta" } },
  ]);
  await db.variant.updateMany({ where: { projectId: tinyProject.id }, data: { registryBaseImage: `${baseRepo}:1` } });
}, 240_000);

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
  await secondRegistry?.stop();
  await second?.remove();
  await Promise.all([open, withAuth, readonly].map((registry) => registry?.stop()));
  await docker(["rmi", "-f", `${open.host}/${baseRepo}:1`]).catch(() => undefined);
});

const builds = new Map<string, Awaited<ReturnType<typeof build>>>();

describe("pushing to a registry", () => {
  it("pushes each variant and records the manifest's compressed layer sizes byte for byte", async () => {
    await setRegistry(tinyProject.id, { host: open.host, repository: `lb-h17/${id}` });
    for (const variant of tinyProject.variants) {
      const done = await build(variant.id);
      expect(done.status, `${done.id}: ${done.error}`).toBe("SUCCEEDED");
      expect(done.pushStatus, done.pushError ?? "").toBe("PUSHED");
      expect(done.compressedSource).toBe("MANIFEST");
      expect(done.imageStore).toBe("overlay2");
      // Item 7: the base image pulled from the registry, its digest recorded with the build.
      expect(done.baseImageRef).toBe(`${open.host}/${baseRepo}:1`);
      expect(done.baseImageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      builds.set(variant.name, done);

      const manifest = await skopeoManifest(`${done.pushRef!.replace(/:[^:/]+$/, "")}@${done.pushDigest}`);
      const layers = await db.layer.findMany({ where: { buildId: done.id, image: "main", isEmpty: false }, orderBy: { position: "asc" } });
      expect(layers.map((layer) => Number(layer.compressedSize))).toEqual(manifest.layers.map((layer) => layer.size));
      expect(layers.map((layer) => layer.compressedDigest)).toEqual(manifest.layers.map((layer) => layer.digest));
      expect(layers.map((layer) => layer.compressedMediaType)).toEqual(manifest.layers.map((layer) => layer.mediaType));
      expect(Number(done.compressedSize)).toBe(manifest.layers.reduce((sum, layer) => sum + layer.size, 0));
      // Push progress went into the build log.
      expect(await db.logLine.count({ where: { buildId: done.id, text: { startsWith: "[push] " } } })).toBeGreaterThan(0);
    }
    // Same base image digest under both variants: the history shows no change.
    expect(builds.get("alpha")!.baseImageDigest).toBe(builds.get("beta")!.baseImageDigest);
  }, 600_000);

  it("prices pulls exactly as a second engine downloads them: base first, then the variants one after another", async () => {
    const alpha = await pullLayersOf(builds.get("alpha")!.id);
    const beta = await pullLayersOf(builds.get("beta")!.id);
    const alphaCost = computePullCost(alpha, { bandwidthBytesPerSecond: 12_500_000, otherVariants: [beta] });
    const comparison = computeComparisonPullCost([alpha, beta]);
    expect(alphaCost.sharedWithOtherVariantsBytes).toBeGreaterThan(alphaCost.compressedTotal - alphaCost.withBaseBytes);

    second = createSecondEngine();
    await second.start();
    const pid = Number(fs.readFileSync(path.join(second.dir, "docker.pid"), "utf8").trim());
    // The same storage, served read-only inside the second engine's network namespace.
    secondRegistry = await startRegistry({ storageDir: open.storageDir, readonly: true, inNetworkOf: { pid, port: 5000 } });
    const configs = new Set<string>();
    const pulled = async (ref: string) => {
      const before = secondRegistry!.blobDownloads().length;
      await docker(["pull", "-q", ref], second!.host);
      const manifest = await skopeoManifest(ref.replace("127.0.0.1:5000", open.host));
      configs.add(manifest.config.digest);
      return secondRegistry!.blobDownloads().slice(before).filter((blob) => !configs.has(blob.digest));
    };
    const local = (ref: string) => ref.replace(open.host, "127.0.0.1:5000");

    const base = await pulled(`127.0.0.1:5000/${baseRepo}:1`);
    expect(base.reduce((sum, blob) => sum + blob.bytes, 0)).toBe(alphaCost.compressedTotal - alphaCost.withBaseBytes);
    const alphaBytes = await pulled(local(builds.get("alpha")!.pushRef!));
    const betaBytes = await pulled(local(builds.get("beta")!.pushRef!));
    const sum = (blobs: Array<{ bytes: number }>) => blobs.reduce((total, blob) => total + blob.bytes, 0);
    console.info(`[registry] second engine downloaded base ${sum(base)}, alpha ${sum(alphaBytes)}, beta ${sum(betaBytes)} bytes of layers`);
    expect(sum(alphaBytes)).toBe(alphaCost.withBaseBytes);
    expect(comparison.sequentialWithBaseBytes).toEqual([sum(alphaBytes), sum(betaBytes)]);
    expect(sum(alphaBytes) + sum(betaBytes)).toBe(comparison.togetherWithBaseBytes);
  }, 300_000);

  it("estimates the compressed size within 3 % of the manifest (an example variant and the tiny ones)", async () => {
    const dir = path.join(REPO, "examples", "pyapp");
    const example = await createDirectoryProject(`registry-example-${id}`, dir, [{ name: "multi-stage", dockerfile: "Dockerfile.multi" }]);
    await setRegistry(example.id, { host: open.host, repository: `lb-h17/${id}` });
    const done = await build(example.variants[0].id);
    expect(done.status, `${done.id}: ${done.error}`).toBe("SUCCEEDED");
    expect(done.pushStatus, done.pushError ?? "").toBe("PUSHED");
    for (const checked of [done, builds.get("alpha")!, builds.get("beta")!]) {
      await waitFor(`content analysis of ${checked.id}`, async () => {
        const analysis = await db.contentAnalysis.findFirst({ where: { buildId: checked.id, image: "main" } });
        if (analysis?.status === "FAILED") throw new Error(`content analysis failed: ${analysis.error}`);
        return analysis?.status === "SUCCEEDED";
      }, 300_000, 250);
      const layers = await db.layer.findMany({ where: { buildId: checked.id, image: "main", isEmpty: false }, orderBy: { position: "asc" } });
      // The estimate is the pass after the contents (they never wait for gzip).
      const diffIds = [...new Set(layers.map((layer) => layer.layerDigest!))];
      const estimates = await waitFor(`compressed-size estimate of ${checked.id}`, async () => {
        const rows = await db.contentLayer.findMany({ where: { diffId: { in: diffIds }, gzipBytes: { not: null } } });
        return rows.length === diffIds.length ? rows : null;
      }, 300_000, 250);
      const gzipOf = new Map(estimates.map((row) => [row.diffId, Number(row.gzipBytes)]));
      const estimated = layers.reduce((total, layer) => total + gzipOf.get(layer.layerDigest!)!, 0);
      const manifest = Number(checked.compressedSize);
      console.info(`[registry] ${checked.id}: estimated ${estimated}, manifest ${manifest} bytes (${((estimated / manifest - 1) * 100).toFixed(2)} %)`);
      expect(Math.abs(estimated - manifest) / manifest).toBeLessThan(0.03);
      // The manifest's truth stays on the build after the estimate came in.
      expect((await db.build.findUniqueOrThrow({ where: { id: checked.id } })).compressedSource).toBe("MANIFEST");
    }
  }, 900_000);
});

describe("registries that refuse", () => {
  const expectIntactWithMessage = async (message: RegExp) => {
    const done = await build(tinyProject.variants[0].id);
    expect(done.status, `${done.id}: ${done.error}`).toBe("SUCCEEDED");
    expect(done.pushStatus).toBe("FAILED");
    expect(done.pushError).toMatch(message);
    expect(Number(done.totalSize)).toBeGreaterThan(0);
    expect(await db.layer.count({ where: { buildId: done.id } })).toBeGreaterThan(0);
    return done;
  };

  it("wrong credentials, an unreachable registry and a read-only one: a clear message, the build intact", async () => {
    // The variant's base comes from the open registry; these pushes go elsewhere.
    await db.variant.updateMany({ where: { projectId: tinyProject.id }, data: { registryBaseImage: null } });
    await setRegistry(tinyProject.id, { host: withAuth.host, repository: "lb-h17", username: "ci", password: "wrong-password" });
    await expectIntactWithMessage(/REGISTRY_AUTH_FAILED: .*(unauthorized|authentication required)/i);

    await setRegistry(tinyProject.id, { host: "127.0.0.1:9", repository: "lb-h17" });
    await expectIntactWithMessage(/REGISTRY_UNREACHABLE: .*connection refused/i);

    await setRegistry(tinyProject.id, { host: readonly.host, repository: "lb-h17" });
    const refused = await expectIntactWithMessage(/REGISTRY_FAILED: the registry refuses the push \(HTTP 405: read-only/);
    console.info(`[registry] read-only registry's message: ${refused.pushError}`);
  }, 600_000);

  it("pushes with basic auth and never shows the password in logs, API answers or reports", async () => {
    const saved = await setRegistry(tinyProject.id, { host: withAuth.host, repository: "lb-h17", username: "ci", password: PASSWORD });
    expect(saved.registry.hasPassword).toBe(true);
    const stored = await db.project.findUniqueOrThrow({ where: { id: tinyProject.id } });
    expect(stored.registryPasswordCiphertext).not.toContain(PASSWORD);

    const done = await build(tinyProject.variants[1].id);
    expect(done.pushStatus, done.pushError ?? "").toBe("PUSHED");
    const manifest = await readManifestWithAuth(`${withAuth.host}/lb-h17/registry-${id}`, done.pushDigest!);
    const layers = await db.layer.findMany({ where: { buildId: done.id, image: "main", isEmpty: false }, orderBy: { position: "asc" } });
    expect(layers.map((layer) => Number(layer.compressedSize))).toEqual(manifest.layers.map((layer) => layer.size));

    const encoded = Buffer.from(`ci:${PASSWORD}`).toString("base64");
    const buildIds = (await db.build.findMany({ where: { projectId: tinyProject.id }, select: { id: true } })).map((row) => row.id);
    const logs = await db.logLine.findMany({ where: { buildId: { in: buildIds } }, select: { text: true } });
    const rows = await db.build.findMany({ where: { id: { in: buildIds } } });
    const answers: string[] = [];
    for (const buildId of buildIds) {
      answers.push(await (await callRoute(getBuildRoute, { url: `/api/builds/${buildId}`, token: run.token, params: { id: buildId } })).text());
      for (const format of ["json", "md", "csv"])
        answers.push(await (await callRoute(getReportRoute, { url: `/api/builds/${buildId}/report?format=${format}`, token: run.token, params: { id: buildId } })).text());
    }
    answers.push(await (await callRoute(getRegistryRoute, { url: `/api/projects/${tinyProject.id}/registry`, token: run.token, params: { id: tinyProject.id } })).text());
    const everything = [...logs.map((line) => line.text), JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? Number(value) : value)), ...answers].join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).toContain(withAuth.host);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(encoded);
  }, 300_000);
});

const readManifestWithAuth = async (repository: string, digest: string): Promise<Manifest> =>
  JSON.parse((await execFileP("skopeo", ["inspect", "--raw", "--tls-verify=false", "--creds", `ci:${PASSWORD}`, `docker://${repository}@${digest}`])).stdout) as Manifest;
