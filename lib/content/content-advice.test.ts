import { describe, expect, test } from "vitest";
import { adviseOnContent, BUILD_PACKAGE, historyOfFsLayers, mergeAdvice } from "@/lib/content/content-advice";
import { adviseOnLayers, type AdviceLayer } from "@/lib/analysis/advice";
import type { PackageRecord, WasteReport } from "@/lib/content/types";
import { file, finalFs } from "@/lib/content/__fixtures__/final-fs";

// History of a naive single-stage image: the base (fs layer 0), an apt layer (fs 1), WORKDIR
// (empty), COPY (fs 2), a pip RUN (fs 3), a cleanup RUN (fs 4), CMD (empty).
const layers: AdviceLayer[] = [
  { position: 0, instruction: "Imported from -", size: 100_000_000, isEmpty: false, isFromBase: true },
  { position: 1, instruction: "RUN apt-get update && apt-get install -y build-essential python3-dev", size: 500_000_000, isEmpty: false, isFromBase: false },
  { position: 2, instruction: "WORKDIR /app", size: 0, isEmpty: true, isFromBase: false },
  { position: 3, instruction: "COPY . /app", size: 10_000, isEmpty: false, isFromBase: false },
  { position: 4, instruction: "RUN pip install -r requirements.txt", size: 50_000_000, isEmpty: false, isFromBase: false },
  { position: 5, instruction: "RUN rm -rf /app/build", size: 0, isEmpty: false, isFromBase: false },
  { position: 6, instruction: 'CMD ["python3"]', size: 0, isEmpty: true, isFromBase: false },
];
const dockerfile = [
  "FROM debian:bookworm", // 1
  "RUN apt-get update && apt-get install -y build-essential python3-dev", // 2
  "WORKDIR /app", // 3
  "COPY . /app", // 4
  "RUN pip install -r requirements.txt", // 5
  "RUN rm -rf /app/build", // 6
  'CMD ["python3"]', // 7
].join("\n");

const deb = (name: string, bytes: number, layer: number): PackageRecord => ({ ecosystem: "deb", name, version: "1", bytes, files: 1, layer });
const packages = [
  deb("gcc-12", 40_000_000, 1),
  deb("cpp-12", 30_000_000, 1),
  deb("binutils-x86-64-linux-gnu", 10_000_000, 1),
  deb("libc6-dev", 5_000_000, 1),
  deb("python3.11-dev", 2_000_000, 1),
  deb("python3.11", 600_000, 1),
  deb("libgomp1", 300_000, 1),
  // In the base: not this Dockerfile's doing.
  deb("libc-dev-bin", 9_000_000, 0),
];
const image = () =>
  finalFs([
    file("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", 8_000_000, 1),
    file("/var/lib/apt/lists/lock", 0, 1),
    file("/var/lib/apt/lists/base-leftover", 5_000_000, 0),
    file("/var/cache/apt/pkgcache.bin", 30_000_000, 1),
    file("/usr/share/doc/gcc-12/changelog.gz", 20_000, 1),
    file("/usr/share/man/man1/gcc.1.gz", 15_000, 1),
    file("/root/.cache/pip/http/a/b/c", 3_000_000, 3),
    file("/usr/local/lib/python3.11/site-packages/numpy/tests/test_x.py", 60_000, 3),
    file("/usr/local/lib/python3.11/site-packages/numpy/core/__pycache__/x.cpython-311.pyc", 70_000, 3),
    file("/app/main.py", 5_000, 2),
  ]);
const waste: WasteReport = {
  ownReclaimableBytes: 0,
  baseReclaimableBytes: 0,
  items: [
    { path: "/app/build", bytes: 9_000_000, layer: 2, byLayer: 4, reason: "deleted" },
    { path: "/root/.cache/pip/wheels", bytes: 1_000_000, layer: 3, byLayer: 4, reason: "deleted" },
    { path: "/etc/base.conf", bytes: 50_000, layer: 0, byLayer: 4, reason: "overwritten" },
  ],
  duplicateBytes: 0,
  duplicates: [],
};
const advise = (env: string[] = []) => adviseOnContent({ fs: image(), packages: { packages }, layers, env, waste, dockerfileText: dockerfile });
const byCode = (code: string) => advise().filter((f) => f.code === code);

describe("adviseOnContent", () => {
  test("filesystem layers map to the non-empty history entries in order", () => {
    expect(historyOfFsLayers(layers).map((l) => l.position)).toEqual([0, 1, 3, 4, 5]);
  });

  test("build tools by package in the layer that installed them, measured, with its Dockerfile line", () => {
    const [tools] = byCode("BUILD_TOOLS_IN_FINAL_IMAGE");
    expect(tools).toMatchObject({ severity: "high", bytesAtStake: 87_000_000, layerPosition: 1, line: 2, instruction: layers[1].instruction });
    expect(tools.detail).toContain("5 build-only packages");
    expect(tools.detail).toMatch(/gcc-12 40(\.0)? MB, cpp-12 30(\.0)? MB/);
    expect(tools.detail).not.toContain("libgomp1");
    expect(tools.detail).not.toContain("libc-dev-bin");
  });

  test("apt lists and cache: own-layer bytes only, measured", () => {
    expect(byCode("APT_LISTS_LEFT").map((f) => [f.bytesAtStake, f.layerPosition, f.line])).toEqual([[8_000_000, 1, 2]]);
    expect(byCode("APT_CACHE_LEFT").map((f) => [f.bytesAtStake, f.layerPosition])).toEqual([[30_000_000, 1]]);
  });

  test("pip cache: what is left plus what a later layer deleted, both in the layer that wrote it", () => {
    const [pip] = byCode("PIP_CACHE_LEFT");
    expect(pip).toMatchObject({ bytesAtStake: 4_000_000, layerPosition: 4, line: 5 });
    expect(pip.detail).toContain("a later layer deleted or overwrote");
  });

  test("docs, tests in site-packages; .pyc only when PYTHONDONTWRITEBYTECODE is set", () => {
    expect(byCode("DOCS_AND_MAN_PAGES").map((f) => f.bytesAtStake)).toEqual([35_000]);
    expect(byCode("TESTS_IN_SITE_PACKAGES").map((f) => [f.bytesAtStake, f.layerPosition])).toEqual([[60_000, 4]]);
    expect(byCode("PYC_DESPITE_PYTHONDONTWRITEBYTECODE")).toEqual([]);
    const pyc = advise(["PYTHONDONTWRITEBYTECODE=1"]).filter((f) => f.code === "PYC_DESPITE_PYTHONDONTWRITEBYTECODE");
    expect(pyc.map((f) => [f.bytesAtStake, f.layerPosition])).toEqual([[70_000, 4]]);
  });

  test("files copied then deleted later: the adding layer is named, base-layer waste and attributed caches left out", () => {
    expect(byCode("FILES_DELETED_IN_LATER_LAYER").map((f) => [f.bytesAtStake, f.layerPosition, f.line])).toEqual([[9_000_000, 3, 4]]);
    expect(byCode("FILES_DELETED_IN_LATER_LAYER")[0].detail).toContain("layer 3 adds 9");
    expect(byCode("FILES_OVERWRITTEN_IN_LATER_LAYER")).toEqual([]);
  });

  test("findings ordered by severity then bytes", () => {
    expect(advise().map((f) => f.code)).toEqual([
      "BUILD_TOOLS_IN_FINAL_IMAGE",
      "APT_CACHE_LEFT",
      "FILES_DELETED_IN_LATER_LAYER",
      "APT_LISTS_LEFT",
      "PIP_CACHE_LEFT",
      "TESTS_IN_SITE_PACKAGES",
      "DOCS_AND_MAN_PAGES",
    ]);
  });

  test("mergeAdvice: measured findings replace the estimates of their codes, the rest stays", () => {
    const estimated = adviseOnLayers({ layers, config: { user: "", healthcheck: false } });
    expect(estimated.find((f) => f.code === "APT_LISTS_LEFT")?.bytesAtStake).toBe(20 * 1024 * 1024);
    const merged = mergeAdvice(estimated, advise());
    expect(merged.filter((f) => f.code === "APT_LISTS_LEFT").map((f) => f.bytesAtStake)).toEqual([8_000_000]);
    expect(merged.filter((f) => f.code === "BUILD_TOOLS_IN_FINAL_IMAGE").map((f) => f.bytesAtStake)).toEqual([87_000_000]);
    expect(merged.map((f) => f.code)).toEqual(expect.arrayContaining(["RUNS_AS_ROOT", "NO_HEALTHCHECK", "DEPS_INSTALLED_AFTER_SOURCE_COPY"]));
    // A measured image without apt lists drops the estimate.
    expect(mergeAdvice(estimated, []).map((f) => f.code)).not.toContain("APT_LISTS_LEFT");
  });

  test("build-only package names", () => {
    const build = ["gcc-12", "g++-12", "cpp-12", "binutils", "binutils-common", "libc6-dev", "linux-libc-dev", "libgcc-12-dev", "libstdc++-12-dev", "python3.11-dev", "make", "libasan8", "build-essential", "libexpat1-dev:amd64".replace(/:.*/, "")];
    const runtime = ["gcc-12-base", "libgcc-s1", "libstdc++6", "libgomp1", "libexpat1", "python3.11", "libmpfr6", "makedev-not"];
    expect(build.filter((name) => !BUILD_PACKAGE.test(name))).toEqual([]);
    expect(runtime.filter((name) => BUILD_PACKAGE.test(name))).toEqual([]);
  });
});
