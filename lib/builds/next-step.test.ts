import { describe, expect, it } from "vitest";
import { describeNextStep, type NextStepInput } from "./next-step";

const base: NextStepInput = { status: "FAILED", errorCode: "BUILD_FAILED", error: null, steps: [], runs: null, smokeReason: null };

describe("describeNextStep", () => {
  it("names the failing RUN step without BuildKit's stage prefix and points at its lines", () => {
    // Step names and error as parsed from lib/docker/__fixtures__/buildkit-failure.jsonl (build-stream.test.ts).
    const message = 'executor failed running [/bin/sh -c echo "about to fail" && ls /does-not-exist]: exit code: 2';
    const step = describeNextStep({
      ...base,
      error: message,
      steps: [
        { position: 0, name: "[1/3] FROM docker.io/layerboard/bookworm-base:local", error: null },
        { position: 1, name: '[2/3] RUN echo "before failing"', error: null },
        { position: 2, name: '[3/3] RUN echo "about to fail" && ls /does-not-exist', error: message },
      ],
    });
    expect(step).toEqual({
      title: `The step \`RUN echo "about to fail" && ls /does-not-exist\` failed: ${message}`,
      action: "See its log lines below, fix the Dockerfile or the context, then Re-run.",
      stepPosition: 2,
    });
  });

  it("says who cancelled and offers a re-run", () => {
    const step = describeNextStep({ ...base, status: "CANCELLED", errorCode: "CANCELLED", error: "cancelled by a user" });
    expect(step?.title).toBe("Cancelled by a user");
    expect(step?.action).toMatch(/Re-run/);
  });

  it("gives an image that does not run its reason", () => {
    const reason = "/opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory";
    const step = describeNextStep({ ...base, status: "SUCCEEDED", errorCode: null, runs: false, smokeReason: reason });
    expect(step?.title).toContain("libexpat.so.1");
  });

  it("maps a refused context and an unreachable engine to their fixes", () => {
    expect(describeNextStep({ ...base, errorCode: "CONTEXT_REFUSED", error: "Git ref refused: \"x y\"" })?.action).toMatch(/context/);
    expect(describeNextStep({ ...base, errorCode: "ENGINE_UNAVAILABLE" })?.action).toMatch(/DOCKER_HOST/);
  });

  it("has nothing to say about a good build or one still running", () => {
    expect(describeNextStep({ ...base, status: "SUCCEEDED", errorCode: null, runs: true })).toBeNull();
    expect(describeNextStep({ ...base, status: "RUNNING", errorCode: null })).toBeNull();
  });
});
