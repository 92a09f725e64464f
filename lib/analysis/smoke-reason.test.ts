import { describe, expect, it } from "vitest";
import { describeSmokeFailure } from "./smoke-reason";

// The smoke run of examples/pyapp Dockerfile.copies as recorded (tests/integration/report-example-comparison.test.ts).
const copies = {
  runs: false,
  error: null,
  exitCode: 127,
  timedOut: false,
  oomKilled: false,
  outputHead: "/opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory\n",
  outputTail: "",
};

describe("describeSmokeFailure", () => {
  it("gives the loader's own line with the exit code", () => {
    expect(describeSmokeFailure(copies)).toBe(
      "exit code 127: /opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory",
    );
  });

  it("falls back on the static run check when the output says nothing useful", () => {
    const silent = { ...copies, outputHead: "" };
    expect(describeSmokeFailure(silent, [{ title: "/opt/venv/bin/python3 needs libexpat.so.1, which the image lacks", severity: "high" }])).toBe(
      "exit code 127: /opt/venv/bin/python3 needs libexpat.so.1, which the image lacks",
    );
    expect(describeSmokeFailure(silent)).toBe("exit code 127, no output");
  });

  it("names a timeout, an OOM kill and an engine error", () => {
    expect(describeSmokeFailure({ ...copies, timedOut: true })).toBe("timed out before it exited");
    expect(describeSmokeFailure({ ...copies, oomKilled: true })).toBe("killed: out of memory");
    expect(describeSmokeFailure({ ...copies, outputHead: "", exitCode: null, error: "OCI runtime create failed: exec: \"app\": executable file not found in $PATH" })).toContain(
      "executable file not found",
    );
  });

  it("has nothing to say about an image that runs", () => {
    expect(describeSmokeFailure({ ...copies, runs: true })).toBeNull();
    expect(describeSmokeFailure(null)).toBeNull();
  });
});
