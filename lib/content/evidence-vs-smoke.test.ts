import { describe, expect, test } from "vitest";
import { compareWithSmoke } from "@/lib/content/evidence-vs-smoke";
import type { ContentFinding } from "@/lib/content/types";

const expat: ContentFinding = {
  kind: "missing-library",
  severity: "high",
  title: "/opt/venv/bin/python needs libexpat.so.1, which the image lacks",
  evidence: { path: "/opt/venv/bin/python", missing: "libexpat.so.1", layer: 1, providedBy: "deb:libexpat1" },
};
const dangling: ContentFinding = {
  kind: "dangling-symlink",
  severity: "high",
  title: "/etc/alternatives/x -> /usr/bin/x points to /usr/bin/x, which the image lacks",
  evidence: { path: "/etc/alternatives/x", missing: "/usr/bin/x", layer: 1 },
};
// The --copies example's smoke output on engine 20.10 (tests/integration/pipeline-example-variants.test.ts).
const copiesOutput = "/opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory";

describe("compareWithSmoke", () => {
  test("the --copies case: both say it fails, and the smoke output confirms the missing library", () => {
    const result = compareWithSmoke([expat], { runs: false, exitCode: 127, output: copiesOutput });
    expect(result.verdict).toBe("agree-fails");
    expect(result.confirmed).toEqual([expat]);
    expect(result.message).toBe("The smoke run failed (exit 127) and the static evidence explains why: the output names libexpat.so.1.");
  });

  test("disagreements are named either way; a dangling symlink alone does not predict a failure", () => {
    expect(compareWithSmoke([expat], { runs: true, exitCode: 0 }).verdict).toBe("static-only");
    expect(compareWithSmoke([dangling], { runs: true, exitCode: 0 }).verdict).toBe("agree-runs");
    expect(compareWithSmoke([], { runs: false, exitCode: 1, output: "Traceback … ModuleNotFoundError: No module named 'flask'" }).verdict).toBe("smoke-only");
    expect(compareWithSmoke([], { runs: false, exitCode: null, timedOut: true }).message).toContain("timed out");
    expect(compareWithSmoke([expat], null)).toMatchObject({ verdict: "no-smoke", confirmed: [] });
  });
});
