import { describe, expect, it } from "vitest";
import { parseBuildPhases, sumPhaseTime, toPhaseSegments } from "@/lib/builds/build-phases";

const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 4, 0, 0) + s * 1000).toISOString();

describe("build phases", () => {
  it("drops malformed stored phases instead of failing the page", () => {
    expect(parseBuildPhases([{ name: "context", startedAt: at(0), finishedAt: at(1) }, { name: "x" }, 3, null])).toEqual([{ name: "context", startedAt: at(0), finishedAt: at(1) }]);
    expect(parseBuildPhases({})).toEqual([]);
  });

  it("says where a cached 12 s build's time went: phases plus the unaccounted gaps add up to its duration", () => {
    const phases = [
      { name: "context", startedAt: at(0.5), finishedAt: at(1.5) },
      { name: "engine-build", startedAt: at(1.5), finishedAt: at(3) },
      { name: "analysis", startedAt: at(3), finishedAt: at(4) },
      { name: "smoke", startedAt: at(4), finishedAt: at(11.5) },
    ];
    const segments = toPhaseSegments(phases, { startedAt: at(0), finishedAt: at(12) }, 0);
    expect(segments.map((s) => [s.name, s.endMs - s.startMs])).toEqual([
      ["gap", 500],
      ["context", 1000],
      ["engine-build", 1500],
      ["analysis", 1000],
      ["smoke", 7500],
      ["gap", 500],
    ]);
    expect(segments.reduce((sum, s) => sum + s.endMs - s.startMs, 0)).toBe(12_000);
    expect(sumPhaseTime(segments).find((s) => s.name === "gap")?.ms).toBe(1000);
    expect(segments.find((s) => s.name === "smoke")?.label).toBe("Smoke run");
  });

  it("ends a phase left open with the build, and grows a running one until now", () => {
    const open = [{ name: "engine-build", startedAt: at(1), finishedAt: null }];
    const failed = toPhaseSegments(open, { startedAt: at(1), finishedAt: at(5) }, Date.parse(at(100)));
    expect(failed.map((s) => [s.name, s.endMs - s.startMs, s.open])).toEqual([["engine-build", 4000, false]]);
    const running = toPhaseSegments(open, { startedAt: at(1), finishedAt: null }, Date.parse(at(9)));
    expect(running.map((s) => [s.name, s.endMs - s.startMs, s.open])).toEqual([["engine-build", 8000, true]]);
  });

  it("shows the content analysis that runs after the build without counting it as a gap", () => {
    const phases = [
      { name: "engine-build", startedAt: at(0), finishedAt: at(2) },
      { name: "content-analysis", startedAt: at(10), finishedAt: at(14) },
    ];
    const segments = toPhaseSegments(phases, { startedAt: at(0), finishedAt: at(2) }, 0);
    expect(segments.map((s) => s.name)).toEqual(["engine-build", "content-analysis"]);
  });
});
