import { describe, expect, it } from "vitest";
import { buildPackageMatrix } from "@/lib/content/package-matrix";
import { compareRunEvidence } from "@/lib/content/run-agreement";
import type { ContentFinding, PackageRecord } from "@/lib/content/types";

const pkg = (name: string, bytes: number, version = "1"): PackageRecord => ({ ecosystem: "deb", name, version, bytes, files: 1, layer: 0 });

describe("buildPackageMatrix", () => {
  it("puts packages that differ between builds first, largest first, with null where a build lacks one", () => {
    const matrix = buildPackageMatrix([
      { buildId: "single", packages: [pkg("libc6", 100), pkg("gcc-12", 5000), pkg("python3", 300)] },
      { buildId: "multi", packages: [pkg("libc6", 100), pkg("python3", 300)] },
      { buildId: "pending", packages: null },
    ]);
    expect(matrix.buildIds).toEqual(["single", "multi", "pending"]);
    expect(matrix.rows.map((r) => [r.key, r.bytes, r.differs])).toEqual([
      ["deb:gcc-12", [5000, null, null], true],
      ["deb:python3", [300, 300, null], false],
      ["deb:libc6", [100, 100, null], false],
    ]);
  });

  it("is bounded, with a count of the rows left out", () => {
    const many = Array.from({ length: 10 }, (_, i) => pkg(`p${i}`, i + 1));
    const matrix = buildPackageMatrix([{ buildId: "a", packages: many }], 3);
    expect(matrix.rows.map((r) => r.name)).toEqual(["p9", "p8", "p7"]);
    expect(matrix.more).toBe(7);
  });
});

const finding: ContentFinding = {
  kind: "missing-library",
  severity: "high",
  title: "/venv/bin/python3 needs libexpat.so.1, which the image lacks",
  evidence: { path: "/venv/bin/python3", missing: "libexpat.so.1", layer: 2 },
};

describe("compareRunEvidence", () => {
  it("says when the findings and the smoke run disagree, either way", () => {
    expect(compareRunEvidence([finding], true)).toMatchObject({ kind: "findings-but-runs", message: expect.stringMatching(/smoke run passed/) });
    expect(compareRunEvidence([], false)).toMatchObject({ kind: "fails-without-findings", message: expect.stringMatching(/static checks found nothing/) });
  });

  it("agrees when both say the same, and waits for what is missing", () => {
    expect(compareRunEvidence([finding], false).kind).toBe("agree-fails");
    expect(compareRunEvidence([{ ...finding, severity: "low" }], true).kind).toBe("agree-runs");
    expect(compareRunEvidence(null, false).kind).toBe("no-findings-yet");
    expect(compareRunEvidence([finding], null).kind).toBe("no-smoke");
  });
});
