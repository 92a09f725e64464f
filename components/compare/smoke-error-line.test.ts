import { describe, expect, it } from "vitest";
import { pickSmokeErrorLine } from "@/components/compare/smoke-error-line";
import type { SmokeDto } from "@/lib/types";

const smoke = (extra: Partial<SmokeDto>): SmokeDto => ({
  command: ["/opt/venv/bin/python", "-m", "layerdemo"],
  runs: false,
  exitCode: 127,
  durationMs: 470,
  timedOut: false,
  oomKilled: false,
  outputHead: "",
  outputTail: "",
  error: null,
  ...extra,
});

describe("pickSmokeErrorLine", () => {
  it("picks the loader error of the venv --copies image", () => {
    const line = "/opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory";
    expect(pickSmokeErrorLine(smoke({ outputHead: line, outputTail: line }))).toBe(line);
  });

  it("prefers a recorded error, then OOM and timeout", () => {
    expect(pickSmokeErrorLine(smoke({ error: "container create failed" }))).toBe("container create failed");
    expect(pickSmokeErrorLine(smoke({ oomKilled: true }))).toBe("killed: out of memory");
    expect(pickSmokeErrorLine(smoke({ timedOut: true }))).toBe("timed out");
  });

  it("finds the error line inside a traceback and falls back to the exit code", () => {
    expect(pickSmokeErrorLine(smoke({ outputTail: "starting\nModuleNotFoundError: No module named 'x'\n" }))).toBe("ModuleNotFoundError: No module named 'x'");
    expect(pickSmokeErrorLine(smoke({}))).toBe("exited with code 127");
  });

  it("says nothing for an image that runs or was not tried", () => {
    expect(pickSmokeErrorLine(smoke({ runs: true }))).toBeNull();
    expect(pickSmokeErrorLine(null)).toBeNull();
  });
});
