import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { adviseOnLayers, APT_LISTS_BYTES_ESTIMATE, findBuildPackages, type AdviceLayer } from "@/lib/analysis/advice";
import { guessBaseEntryCount } from "@/lib/docker/analyse-image";
import { cleanInstruction } from "@/lib/docker/clean-instruction";

type HistoryFixture = {
  dockerfile: string;
  history: Array<{ Id: string; CreatedBy: string; Comment: string; Size: number }>;
  configHistory: Array<{ empty_layer?: boolean }>;
};

// Layers as analyseImage builds them, from history captured on the engine (examples/pyapp built
// with BuildKit on layerboard/bookworm-base:local).
const capturedLayers = (name: string): { layers: AdviceLayer[]; dockerfile: string } => {
  const fixture = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "docker", "__fixtures__", `history-${name}.json`), "utf8"),
  ) as HistoryFixture;
  const history = [...fixture.history].reverse().map((entry) => ({ ...entry, Tags: null }));
  const baseCount = guessBaseEntryCount(history);
  return {
    dockerfile: fixture.dockerfile,
    layers: history.map((entry, position) => ({
      position,
      instruction: cleanInstruction(entry.CreatedBy, entry.Comment),
      size: entry.Size,
      isEmpty: fixture.configHistory[position].empty_layer === true,
      isFromBase: position < baseCount,
    })),
  };
};

const layer = (position: number, instruction: string, size = 1000, extra: Partial<AdviceLayer> = {}): AdviceLayer => ({
  position,
  instruction,
  size,
  isEmpty: false,
  isFromBase: false,
  ...extra,
});

const base = layer(0, "Imported from -", 148_537_737, { isFromBase: true });
const codes = (findings: Array<{ code: string }>) => findings.map((finding) => finding.code);

describe("adviseOnLayers on captured example images", () => {
  test("the single-stage image gets the compilers finding for its apt layer, with that layer's bytes", () => {
    const { layers, dockerfile } = capturedLayers("pyapp-single-buildkit");
    const findings = adviseOnLayers({ layers, dockerfileText: dockerfile, hasDockerignore: true, config: { user: "", healthcheck: false } });
    const compilers = findings.find((finding) => finding.code === "BUILD_TOOLS_IN_FINAL_IMAGE");
    const aptLayer = layers.find((candidate) => candidate.instruction.includes("build-essential"));
    expect(aptLayer).toBeDefined();
    expect(compilers).toMatchObject({
      severity: "high",
      layerPosition: aptLayer?.position,
      instruction: aptLayer?.instruction,
      bytesAtStake: aptLayer?.size,
    });
    expect(compilers?.detail).toContain("build-essential");
    expect(compilers?.detail).toContain("python3-dev");
    expect(findings[0].code).toBe("BUILD_TOOLS_IN_FINAL_IMAGE");
    // The same deliberately naive Dockerfile also leaves the apt lists and the pip cache, and copies the whole context first.
    expect(codes(findings)).toEqual(
      expect.arrayContaining(["APT_LISTS_LEFT", "APT_CACHE_LEFT", "PIP_CACHE_LEFT", "DEPS_INSTALLED_AFTER_SOURCE_COPY", "RUNS_AS_ROOT", "NO_HEALTHCHECK"]),
    );
    expect(codes(findings)).not.toContain("NO_DOCKERIGNORE");
  });

  test("the multi-stage final image (python3 runtime + COPY of the venv) gets no compilers finding", () => {
    const { layers, dockerfile } = capturedLayers("pyapp-multi-buildkit");
    const findings = adviseOnLayers({ layers, dockerfileText: dockerfile, hasDockerignore: true, config: { user: "", healthcheck: false } });
    expect(codes(findings)).not.toContain("BUILD_TOOLS_IN_FINAL_IMAGE");
    expect(codes(findings)).not.toContain("APT_LISTS_LEFT");
    expect(codes(findings)).not.toContain("PIP_CACHE_LEFT");
    expect(codes(findings)).not.toContain("DEPS_INSTALLED_AFTER_SOURCE_COPY");
    // Its runtime apt layer removes the lists but not apt's cache (measured ~87 MB on this base).
    expect(codes(findings).sort()).toEqual(["APT_CACHE_LEFT", "NO_HEALTHCHECK", "RUNS_AS_ROOT"]);
  });
});

describe("adviseOnLayers with the Dockerfile", () => {
  test("each layer finding carries the line of its Dockerfile instruction (parsed with dockerfile-ast)", () => {
    const single = capturedLayers("pyapp-single-buildkit");
    const findings = adviseOnLayers({ layers: single.layers, dockerfileText: single.dockerfile, hasDockerignore: true, config: { user: "", healthcheck: false } });
    const lineOf = (code: string) => findings.find((finding) => finding.code === code)?.line;
    expect(lineOf("BUILD_TOOLS_IN_FINAL_IMAGE")).toBe(7);
    expect(lineOf("APT_LISTS_LEFT")).toBe(7);
    expect(lineOf("PIP_CACHE_LEFT")).toBe(14);
    expect(lineOf("DEPS_INSTALLED_AFTER_SOURCE_COPY")).toBe(14);
    // Not tied to an instruction: no line.
    expect(lineOf("NO_HEALTHCHECK")).toBeUndefined();
    const multi = capturedLayers("pyapp-multi-buildkit");
    const multiFindings = adviseOnLayers({ layers: multi.layers, dockerfileText: multi.dockerfile });
    expect(multiFindings.find((finding) => finding.code === "APT_CACHE_LEFT")?.line).toBe(22);
    // Without the Dockerfile, findings are as before.
    expect(adviseOnLayers({ layers: single.layers }).every((finding) => finding.line === undefined)).toBe(true);
  });
});

describe("adviseOnLayers rules", () => {
  test("build packages are recognised in apt, apk and dnf installs, versions and flags ignored", () => {
    expect(
      findBuildPackages(
        "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc=4:12.2.0-3 libpq-dev python3 curl && rm -rf /var/lib/apt/lists/*",
      ),
    ).toEqual(["gcc", "libpq-dev"]);
    expect(findBuildPackages("RUN apk add --no-cache build-base musl-dev python3")).toEqual(["build-base", "musl-dev"]);
    expect(findBuildPackages("RUN dnf install -y make g++ openssl-devel")).toEqual(["make", "g++", "openssl-devel"]);
    expect(findBuildPackages("RUN apt-get install -y python3 python3-venv libexpat1")).toEqual([]);
  });

  test("base layers are never judged", () => {
    const findings = adviseOnLayers({
      layers: [layer(0, "RUN apt-get update && apt-get install -y gcc make", 300_000_000, { isFromBase: true }), layer(1, "COPY /venv /venv")],
    });
    expect(findings).toEqual([]);
  });

  test("apt lists: flagged without rm in the same RUN, estimated only when that RUN updates", () => {
    const findings = adviseOnLayers({
      layers: [
        base,
        layer(1, "RUN apt-get update && apt-get install -y curl", 50_000_000),
        layer(2, "RUN apt-get install -y jq", 900_000),
        layer(3, "RUN apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/*", 3_000_000),
        layer(4, "RUN rm -rf /var/lib/apt/lists/*", 0),
      ],
    });
    const apt = findings.filter((finding) => finding.code === "APT_LISTS_LEFT");
    expect(apt.map((finding) => [finding.layerPosition, finding.bytesAtStake])).toEqual([
      [1, APT_LISTS_BYTES_ESTIMATE],
      [2, null],
    ]);
    expect(apt[0].instruction).toBe("RUN apt-get update && apt-get install -y curl");
  });

  test("apt cache: flagged for installs without apt-get clean or rm of /var/cache/apt", () => {
    const cache = (instruction: string) =>
      adviseOnLayers({ layers: [base, layer(1, instruction)] }).filter((finding) => finding.code === "APT_CACHE_LEFT");
    expect(cache("RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*")).toHaveLength(1);
    expect(cache("RUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*")).toEqual([]);
    expect(cache("RUN apt-get install -y curl && rm -rf /var/lib/apt/lists/* /var/cache/apt/*")).toEqual([]);
    expect(cache("RUN apt-get update")).toEqual([]);
  });

  test("pip cache: --no-cache-dir, PIP_NO_CACHE_DIR (ENV or inline) or a cache mount avoid it", () => {
    const pip = (layers: AdviceLayer[], dockerfileText?: string) =>
      adviseOnLayers({ layers: [base, ...layers], dockerfileText }).filter((finding) => finding.code === "PIP_CACHE_LEFT");
    expect(pip([layer(1, "RUN pip install -r requirements.txt")])).toHaveLength(1);
    expect(pip([layer(1, "RUN python3 -m pip install flask")])[0]).toMatchObject({ layerPosition: 1, severity: "medium" });
    expect(pip([layer(1, "RUN pip install --no-cache-dir -r requirements.txt")])).toEqual([]);
    expect(pip([layer(1, "RUN PIP_NO_CACHE_DIR=1 pip install flask")])).toEqual([]);
    expect(pip([layer(1, "ENV PIP_NO_CACHE_DIR=1", 0, { isEmpty: true }), layer(2, "RUN pip install flask")])).toEqual([]);
    expect(
      pip([layer(1, "RUN pip install flask")], "FROM x\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n"),
    ).toEqual([]);
  });

  test("dependency install after copying the whole source is cache busting (BuildKit and classic forms)", () => {
    for (const copy of ["COPY . /app", "COPY . .", "COPY dir:f6127a9f3046 in /app"]) {
      const findings = adviseOnLayers({ layers: [base, layer(1, "WORKDIR /app", 0), layer(2, copy), layer(3, "RUN npm ci")] });
      expect(findings.find((finding) => finding.code === "DEPS_INSTALLED_AFTER_SOURCE_COPY")).toMatchObject({
        layerPosition: 3,
        instruction: "RUN npm ci",
        bytesAtStake: null,
      });
    }
    const manifestFirst = adviseOnLayers({
      layers: [
        base,
        layer(1, "COPY requirements.txt ."),
        layer(2, "RUN pip install --no-cache-dir -r requirements.txt"),
        layer(3, "COPY . ."),
        layer(4, "RUN pip install --no-cache-dir --no-deps ."),
      ],
    });
    expect(codes(manifestFirst)).toEqual([]);
  });

  test("no .dockerignore, root user and no healthcheck are reported only when known", () => {
    expect(adviseOnLayers({ layers: [base] })).toEqual([]);
    const findings = adviseOnLayers({
      layers: [base, layer(1, "COPY . /app"), layer(2, "USER root", 0, { isEmpty: true })],
      hasDockerignore: false,
      config: { user: "root", healthcheck: false },
    });
    expect(findings.find((finding) => finding.code === "NO_DOCKERIGNORE")).toMatchObject({ layerPosition: 1, severity: "medium" });
    expect(findings.find((finding) => finding.code === "RUNS_AS_ROOT")).toMatchObject({ layerPosition: 2, instruction: "USER root" });
    expect(codes(findings)).toContain("NO_HEALTHCHECK");
    const fine = adviseOnLayers({ layers: [base], hasDockerignore: true, config: { user: "app", healthcheck: true } });
    expect(fine).toEqual([]);
    expect(codes(adviseOnLayers({ layers: [base], config: { user: "0:0", healthcheck: true } }))).toEqual(["RUNS_AS_ROOT"]);
  });

  test("findings are ordered by severity, then bytes", () => {
    const findings = adviseOnLayers({
      layers: [base, layer(1, "RUN apt-get update && apt-get install -y gcc", 200_000_000), layer(2, "RUN apt-get install -y g++", 300_000_000)],
      config: { user: "", healthcheck: false },
    });
    expect(findings.map((finding) => [finding.severity, finding.layerPosition])).toEqual([
      ["high", 2],
      ["high", 1],
      ["medium", 1],
      ["medium", 2],
      ["medium", null],
      ["low", 1],
      ["low", 2],
      ["low", null],
    ]);
  });
});
