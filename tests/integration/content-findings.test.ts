// The content analysers on real images (issue 11): the example variants and a symlinked-venv
// image built through the whole pipeline, their content analysed by the queued job on the real
// engine, and the packages, run evidence and measured advice checked on what it stored.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startBuild } from "@/lib/builds/start-build";
import { seedExampleProject } from "@/lib/builds/seed";
import { EXAMPLE_PROJECT_SLUG } from "@/lib/data/seed";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { findContentAnalysis, getFinalFilesystem, type ContentAnalysisDto } from "@/lib/data/content";
import { adviseOnContent } from "@/lib/content/content-advice";
import { findPackages } from "@/lib/content/packages";
import type { Build } from "@/lib/generated/prisma/client";
import { BASE_IMAGE, createDirectoryProject, REPO, usePipelineRun, waitFor, waitForBuild, writeContext } from "../support/pipeline";

const run = usePipelineRun();
let worker: WorkerHandle;
const variantIds = new Map<string, string>();
const builds = new Map<string, Build>();
const analyses = new Map<string, NonNullable<ContentAnalysisDto["result"]>>();

const ANALYSIS_TIMEOUT_MS = 900_000;

const buildAndAnalyse = async (key: string, variantId: string) => {
  const queued = await startBuild(variantId);
  const build = await waitForBuild(queued.id, undefined, 900_000);
  run.images.push(build.imageTag);
  expect(build.status, `${key}: ${build.error}`).toBe("SUCCEEDED");
  const analysis = await waitFor(
    `the content analysis of ${key}`,
    async () => {
      const found = await findContentAnalysis(build.id);
      return found && (found.status === "SUCCEEDED" || found.status === "FAILED") ? found : null;
    },
    ANALYSIS_TIMEOUT_MS,
    1_000,
  );
  expect(analysis.error, `${key}: ${analysis.error?.message}`).toBeNull();
  expect(analysis.status).toBe("SUCCEEDED");
  builds.set(key, build);
  analyses.set(key, analysis.result!);
  return analysis.result!;
};

const sumBytes = (items: Array<{ bytes: number }>) => items.reduce((sum, item) => sum + item.bytes, 0);

beforeAll(async () => {
  await seedExampleProject();
  const project = await db.project.findUniqueOrThrow({ where: { slug: EXAMPLE_PROJECT_SLUG }, include: { variants: true } });
  for (const variant of project.variants) variantIds.set(variant.name, variant.id);
  worker = await startWorker({ concurrency: 1 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

describe("content findings on the example variants", () => {
  it("multi-stage: packages own the bytes with the unowned files, and the image runs by the static evidence too", { timeout: 1_200_000 }, async () => {
    const result = await buildAndAnalyse("multi-stage", variantIds.get("multi-stage")!);
    expect(sumBytes(result.packages) + sumBytes(result.unowned)).toBe(result.fileBytes);
    const filesystem = await getFinalFilesystem(builds.get("multi-stage")!.id);
    const regular = [...filesystem.entries.values()].filter((entry) => entry.kind === "file");
    expect(sumBytes(regular.map((entry) => ({ bytes: entry.size })))).toBe(result.fileBytes);
    const names = result.packages.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["python3.11-minimal", "libexpat1", "libc6", "pip", "layerdemo"]));
    expect(result.packages.find((p) => p.name === "layerdemo")).toMatchObject({ ecosystem: "python", location: "/opt/venv/lib/python3.11/site-packages" });
    // libexpat1's exact bytes: its shared library, through /lib -> usr/lib.
    const expat = result.packages.find((p) => p.name === "libexpat1")!;
    const expatSo = [...filesystem.entries.values()].find((entry) => /\/libexpat\.so\.1\.\d+\.\d+$/.test(entry.path))!;
    expect(expat.bytes).toBeGreaterThanOrEqual(expatSo.size);
    for (const name of ["gcc-12", "cpp-12", "libc6-dev", "binutils"]) expect(names).not.toContain(name);
    expect(result.findings).toEqual([]);
  });

  it("venv --copies: flagged with the missing libexpat.so.1 (named after the package that has it elsewhere), beside a failing smoke run", { timeout: 1_200_000 }, async () => {
    const result = await buildAndAnalyse("copies", variantIds.get("venv --copies")!);
    const missing = result.findings.filter((f) => f.kind === "missing-library" && f.evidence.missing === "libexpat.so.1");
    expect(missing.map((f) => f.evidence.path)).toEqual(expect.arrayContaining(["/opt/venv/bin/python"]));
    for (const finding of missing) {
      expect(finding.severity).toBe("high");
      expect(finding.evidence.layer).toBeGreaterThan(0);
      // The multi-stage image, analysed first in this project, ships libexpat1.
      expect(finding.evidence.providedBy).toBe("deb:libexpat1");
    }
    expect(sumBytes(result.packages) + sumBytes(result.unowned)).toBe(result.fileBytes);
    const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: builds.get("copies")!.id } });
    expect(smoke.runs).toBe(false);
    expect(`${smoke.outputHead}\n${smoke.outputTail}`).toContain("libexpat.so.1");
  });

  it("single-stage: the compiler toolchain is among the top packages, with measured advice on its Dockerfile line", { timeout: 1_500_000 }, async () => {
    const result = await buildAndAnalyse("single-stage", variantIds.get("single-stage")!);
    expect(sumBytes(result.packages) + sumBytes(result.unowned)).toBe(result.fileBytes);
    const top = result.packages.slice(0, 15).map((p) => p.name);
    expect(top).toEqual(expect.arrayContaining(["gcc-12", "cpp-12"]));
    expect(result.packages.map((p) => p.name)).toEqual(expect.arrayContaining(["binutils-x86-64-linux-gnu", "libc6-dev", "build-essential"]));
    const multiNames = new Set(analyses.get("multi-stage")!.packages.map((p) => p.name));
    for (const name of ["gcc-12", "cpp-12", "binutils-x86-64-linux-gnu", "libc6-dev", "build-essential"]) expect(multiNames.has(name)).toBe(false);
    expect(result.findings.filter((f) => f.kind === "missing-library")).toEqual([]);

    const build = builds.get("single-stage")!;
    const layers = await db.layer.findMany({ where: { buildId: build.id, image: "main" }, orderBy: { position: "asc" } });
    const advice = adviseOnContent({
      fs: await getFinalFilesystem(build.id),
      packages: findPackages(await getFinalFilesystem(build.id)),
      layers: layers.map((l) => ({ position: l.position, instruction: l.instruction, size: Number(l.size), isEmpty: l.isEmpty, isFromBase: l.isFromBase })),
      env: [],
      waste: result.waste,
      dockerfileText: fs.readFileSync(path.join(REPO, "examples/pyapp/Dockerfile.single"), "utf8"),
    });
    const tools = advice.find((f) => f.code === "BUILD_TOOLS_IN_FINAL_IMAGE")!;
    const toolchainBytes = sumBytes(result.packages.filter((p) => ["gcc-12", "cpp-12"].includes(p.name)));
    expect(tools.bytesAtStake).toBeGreaterThan(toolchainBytes);
    expect(tools.line).toBe(7);
    const lists = advice.find((f) => f.code === "APT_LISTS_LEFT")!;
    expect(lists.line).toBe(7);
    expect(lists.bytesAtStake).toBeGreaterThan(1_000_000);
    // The job stores the same measured advice with the analysis (no Dockerfile: no line numbers), for the build page and reports.
    const stored = result.advice ?? [];
    expect(stored.find((f) => f.code === "BUILD_TOOLS_IN_FINAL_IMAGE")?.bytesAtStake).toBe(tools.bytesAtStake);
    expect(stored.find((f) => f.code === "APT_LISTS_LEFT")?.bytesAtStake).toBe(lists.bytesAtStake);
    console.info(
      [
        `single-stage: ${result.files} files, ${result.fileBytes} bytes; top packages:`,
        ...result.packages.slice(0, 10).map((p) => `  ${p.ecosystem}:${p.name} ${p.bytes} bytes, ${p.files} files, layer ${p.layer}`),
        "unowned (top 5):",
        ...result.unowned.slice(0, 5).map((g) => `  ${g.directory} ${g.bytes} bytes, ${g.files} files`),
        "run evidence:",
        ...result.findings.map((f) => `  ${f.kind}: ${f.title}`),
        "measured advice:",
        ...advice.map((f) => `  ${f.code} ${f.bytesAtStake} bytes, layer ${f.layerPosition}, line ${f.line}`),
        "venv --copies findings:",
        ...analyses.get("copies")!.findings.map((f) => `  ${f.kind}: ${f.title} [${f.evidence.providedBy ?? "-"}]`),
      ].join("\n"),
    );
  });
});

describe("a symlinked venv copied into a final stage without Python", () => {
  it("gets the dangling-symlink findings down to /usr/bin/python3, and the CMD is not found", { timeout: 1_200_000 }, async () => {
    const dir = writeContext(run.root, `symlinked-venv-${run.id}`, {
      // The builder's apt RUN is the multi-stage example's, so the engine's cache serves it.
      Dockerfile: [
        "ARG BASE_IMAGE=debian:bookworm-slim",
        "FROM ${BASE_IMAGE} AS builder",
        "RUN apt-get update \\",
        "    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\",
        "       gcc libc6-dev python3-dev python3-venv python3-setuptools-whl python3-wheel-whl \\",
        "    && apt-get clean \\",
        "    && rm -rf /var/lib/apt/lists/*",
        "RUN python3 -m venv --without-pip /opt/venv",
        "FROM ${BASE_IMAGE}",
        "COPY --from=builder /opt/venv /opt/venv",
        `CMD ["/opt/venv/bin/python", "-c", "print('${run.id}')"]`,
      ].join("\n"),
    });
    const project = await createDirectoryProject(`lb-content-analysers-${run.id}`, dir, [{ name: "symlinked venv" }]);
    expect(BASE_IMAGE).toBeTruthy();
    const result = await buildAndAnalyse("symlinked", project.variants[0].id);
    const dangling = result.findings.filter((f) => f.kind === "dangling-symlink");
    expect(dangling.find((f) => f.evidence.path === "/opt/venv/bin/python3")).toMatchObject({
      severity: "high",
      evidence: { missing: "/usr/bin/python3" },
      title: "/opt/venv/bin/python3 -> /usr/bin/python3 points to /usr/bin/python3, which the image lacks",
    });
    expect(dangling.find((f) => f.evidence.path === "/opt/venv/bin/python")?.evidence.missing).toBe("/usr/bin/python3");
    expect(result.findings.find((f) => f.kind === "entrypoint-not-found")?.evidence).toMatchObject({ path: "/opt/venv/bin/python", missing: "/usr/bin/python3" });
    const smoke = await db.smokeResult.findUniqueOrThrow({ where: { buildId: builds.get("symlinked")!.id } });
    expect(smoke.runs).toBe(false);
  });
});
