import { describe, expect, it } from "vitest";
import { hashBuildSettings } from "./settings-hash";

// A build's frozen settings as start-build.ts stores them (captured from a Build row).
const FROZEN = {
  name: "slim",
  strategy: "CUSTOM",
  dockerfile: "Dockerfile",
  target: null,
  buildArgs: { FLAVOR: "slim", A: "1" },
  secretArgs: [],
  smokeCommand: null,
  smokePrivileges: "STRICT",
  sizeBudgetBytes: null,
  regressionThresholdPct: 2,
  builder: "BUILDKIT",
  noCache: false,
  runtimeDockerfile: null,
  artifactPath: null,
};

describe("hashBuildSettings", () => {
  it("ignores the name, budget, threshold and key order", () => {
    const reordered = { ...FROZEN, name: "renamed", sizeBudgetBytes: 5, regressionThresholdPct: 9, buildArgs: { A: "1", FLAVOR: "slim" } };
    expect(hashBuildSettings(reordered)).toBe(hashBuildSettings(FROZEN));
  });

  it("changes with what decides the image", () => {
    const base = hashBuildSettings(FROZEN);
    expect(hashBuildSettings({ ...FROZEN, buildArgs: { FLAVOR: "fat", A: "1" } })).not.toBe(base);
    expect(hashBuildSettings({ ...FROZEN, dockerfile: "Dockerfile.alt" })).not.toBe(base);
    expect(hashBuildSettings({ ...FROZEN, builder: "CLASSIC" })).not.toBe(base);
  });

  it("treats missing optional settings as their defaults", () => {
    const { target: _t, secretArgs: _s, ...older } = FROZEN;
    expect(hashBuildSettings(older)).toBe(hashBuildSettings(FROZEN));
  });
});
