import { describe, expect, it } from "vitest";
import { DEFAULT_REGRESSION_THRESHOLD_PCT, findRegressions, pickCommitBuilds, type CommitBuild } from "./find-regressions";
import { orderFirstParent, pickHeadCommit, type OrderedCommit } from "./commit-order";
import { describeRegression, findTopLayer, shortenInstruction } from "./describe-regression";
import { diffLayers } from "@/lib/builds/layer-diff";
import type { LayerDto } from "@/lib/types";

// The scripted history of tests/integration/backfill.test.ts, sizes as the engine measured
// them (the base image is 116,667,925 bytes).
const sha = (n: number) => n.toString(16).padStart(40, "c");
const SUBJECTS = ["Initial app", "Add a README", "Add a large asset", "Reword the greeting", "Break the entrypoint", "Add docs", "Fix the entrypoint", "Remove the Dockerfile", "Restore the Dockerfile", "Small change"];
const COMMITS: OrderedCommit[] = SUBJECTS.map((subject, i) => ({
  sha: sha(i + 1),
  parentSha: i ? sha(i) : null,
  subject,
  authorName: "Test Author",
  authoredAt: new Date(Date.UTC(2026, 10, 1, 10, i)).toISOString(),
}));
const BASE = 116_667_925;
const SIZES = [BASE + 30, BASE + 150, BASE + 5_243_030, BASE + 5_243_040, BASE + 5_243_040, BASE + 5_243_090, BASE + 5_243_090, null, BASE + 5_243_090, BASE + 5_243_100];
const RUNS = [true, true, true, true, false, false, true, null, true, true];

const buildsFor = (variantId: string): CommitBuild[] =>
  COMMITS.map((c, i) => ({
    buildId: `${variantId}-b${i + 1}`,
    variantId,
    sha: c.sha,
    status: SIZES[i] === null ? "FAILED" : "SUCCEEDED",
    totalSize: SIZES[i],
    runs: RUNS[i],
    finishedAt: new Date(Date.UTC(2026, 10, 2, 10, i)).toISOString(),
  }));

const VARIANTS = [
  { id: "plain", name: "plain", regressionThresholdPct: 2 },
  { id: "slim", name: "slim", regressionThresholdPct: 2 },
];

describe("findRegressions", () => {
  const builds = [...buildsFor("plain"), ...buildsFor("slim")];

  it("names the commit that grew the image and the one that stopped it running, exactly those", () => {
    const found = findRegressions(COMMITS, builds, VARIANTS);
    expect(found.map((r) => [r.kind, r.variantId, r.sha])).toEqual([
      ["size", "plain", sha(3)],
      ["size", "slim", sha(3)],
      ["stopped-running", "plain", sha(5)],
      ["stopped-running", "slim", sha(5)],
    ]);
    const size = found[0];
    expect(size).toMatchObject({ baseSha: sha(2), baseBuildId: "plain-b2", buildId: "plain-b3", deltaBytes: 5_242_880, thresholdPct: 2, resolvedBy: null });
    expect(size.deltaPct).toBeCloseTo(4.49, 2);
  });

  it("resolves the runtime regression at the fix commit", () => {
    const stopped = findRegressions(COMMITS, builds, VARIANTS).filter((r) => r.kind === "stopped-running");
    expect(stopped.map((r) => r.resolvedBy)).toEqual([
      { sha: sha(7), buildId: "plain-b7" },
      { sha: sha(7), buildId: "slim-b7" },
    ]);
  });

  it("compares across a commit that failed to build with the nearest built ancestor", () => {
    const found = findRegressions(COMMITS, buildsFor("plain"), [VARIANTS[0]]);
    expect(found.some((r) => r.sha === sha(9))).toBe(false);
  });

  it("resolves a size regression once the image is back within the threshold", () => {
    const shrunk = buildsFor("plain").map((b) => (b.sha === sha(10) ? { ...b, totalSize: BASE + 200 } : b));
    const [size] = findRegressions(COMMITS, shrunk, [VARIANTS[0]]);
    expect(size.resolvedBy).toEqual({ sha: sha(10), buildId: "plain-b10" });
  });

  it("uses the default threshold when the variant has none", () => {
    expect(findRegressions(COMMITS, buildsFor("plain"), [{ id: "plain", name: "plain", regressionThresholdPct: null }]).map((r) => r.kind)).toEqual(["stopped-running"]);
    const doubled = buildsFor("plain").map((b) => (b.sha === sha(2) ? { ...b, totalSize: Math.round(BASE * (1 + (DEFAULT_REGRESSION_THRESHOLD_PCT + 1) / 100)) } : b));
    expect(findRegressions(COMMITS, doubled, [{ id: "plain", name: "plain", regressionThresholdPct: null }])[0]).toMatchObject({ kind: "size", sha: sha(2) });
  });

  it("lets a re-run that succeeded speak for a commit over an earlier failure", () => {
    const failedFirst: CommitBuild = { ...buildsFor("plain")[2], buildId: "retry", status: "FAILED", totalSize: null, finishedAt: "2026-11-01T00:00:00.000Z" };
    expect(pickCommitBuilds([failedFirst, buildsFor("plain")[2]]).get("plain")!.get(sha(3))!.buildId).toBe("plain-b3");
  });
});

describe("first-parent order", () => {
  it("walks back from the head along first parents, oldest first", () => {
    const shuffled = [COMMITS[4], COMMITS[0], COMMITS[9], ...COMMITS.slice(1, 4), ...COMMITS.slice(5, 9)];
    expect(orderFirstParent(shuffled, sha(10)).map((c) => c.subject)).toEqual(SUBJECTS);
    expect(orderFirstParent(shuffled, sha(4)).length).toBe(4);
    expect(orderFirstParent(shuffled, "unknown")).toEqual([]);
  });

  it("picks the tip of the longest built chain as the head", () => {
    const stray: OrderedCommit = { sha: sha(99), parentSha: sha(2), subject: "PR head", authorName: "x", authoredAt: "2026-12-01T00:00:00.000Z" };
    const built = new Set([...COMMITS.map((c) => c.sha), stray.sha]);
    expect(pickHeadCommit([...COMMITS, stray], built)).toBe(sha(10));
  });
});

describe("describeRegression", () => {
  const layer = (position: number, size: number, instruction: string, isFromBase = false): LayerDto =>
    ({ position, size, instruction, createdBy: instruction, isFromBase, isEmpty: false, image: "main", layerDigest: isFromBase ? `sha256:${position}` : null }) as unknown as LayerDto;

  it("says how much, where, and which layer", () => {
    const before = [layer(0, BASE, "base", true), layer(1, 120, "COPY . /srv/")];
    const after = [layer(0, BASE, "base", true), layer(1, 5_243_000, "COPY . /srv/")];
    const top = findTopLayer(diffLayers(before, after));
    expect(top).toEqual({ instruction: "COPY . /srv/", deltaBytes: 5_242_880 });
    expect(describeRegression({ kind: "size", sha: sha(3), baseSha: sha(2), deltaBytes: 5_242_880 }, "Add a large asset", top)).toBe(
      `+5.2 MB at ${sha(3).slice(0, 7)}: Add a large asset — layer \`COPY . /srv/\` +5.2 MB`,
    );
    expect(describeRegression({ kind: "stopped-running", sha: sha(5), baseSha: sha(4), deltaBytes: 0 }, "Break the entrypoint", null)).toBe(
      `stopped running at ${sha(5).slice(0, 7)}: Break the entrypoint (ran at ${sha(4).slice(0, 7)})`,
    );
  });

  it("keeps the start and the end of a long instruction", () => {
    const text = shortenInstruction("RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ make libc6-dev build-essential");
    expect(text.length).toBeLessThanOrEqual(72);
    expect(text.startsWith("RUN apt-get update")).toBe(true);
    expect(text.endsWith("build-essential")).toBe(true);
    expect(text).toContain(" … ");
  });
});
