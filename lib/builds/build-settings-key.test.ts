import { describe, expect, it } from "vitest";
import { buildSettingsKey } from "@/lib/builds/build-settings-key";

const frozen = { name: "multi", dockerfile: "Dockerfile.multi", target: null, buildArgs: { B: "2", A: "1" }, secretArgs: [], smokeCommand: ["python", "-c", "1"], smokePrivileges: "STRICT", builder: "BUILDKIT", noCache: false, sizeBudgetBytes: 100, regressionThresholdPct: 5 };

describe("buildSettingsKey", () => {
  it("ignores names, budgets and key order; a missing field reads as null", () => {
    const reordered = { ...frozen, name: "renamed", sizeBudgetBytes: 1, regressionThresholdPct: null, buildArgs: { A: "1", B: "2" } };
    expect(buildSettingsKey(reordered)).toBe(buildSettingsKey(frozen));
    expect(buildSettingsKey({ ...frozen, runtimeDockerfile: null })).toBe(buildSettingsKey(frozen));
  });

  it("changes with anything that changes the image or its smoke run", () => {
    for (const change of [{ dockerfile: "Dockerfile" }, { buildArgs: { A: "1", B: "3" } }, { builder: "CLASSIC" }, { noCache: true }, { smokeCommand: ["true"] }, { target: "runtime" }])
      expect(buildSettingsKey({ ...frozen, ...change }), JSON.stringify(change)).not.toBe(buildSettingsKey(frozen));
  });
});
