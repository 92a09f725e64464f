import { describe, expect, it } from "vitest";
import { parseBuildArgLines, splitLines, splitPackages } from "./setup-form";

describe("parseBuildArgLines", () => {
  it("reads KEY=value lines, keeping = in values and empty values, skipping blanks and comments", () => {
    expect(parseBuildArgLines("BASE_IMAGE=debian:bookworm-slim\n\n# note\nOPTS=a=b\r\nEMPTY=\n")).toEqual({
      args: { BASE_IMAGE: "debian:bookworm-slim", OPTS: "a=b", EMPTY: "" },
      error: null,
    });
  });

  it("names the line that is not KEY=value, or sets a key twice", () => {
    expect(parseBuildArgLines("A=1\nnot a pair").error).toBe("line 2: expected KEY=value");
    expect(parseBuildArgLines("=x").error).toBe("line 1: expected KEY=value");
    expect(parseBuildArgLines("A=1\nA=2").error).toBe("line 2: A is set twice");
  });
});

describe("splitLines and splitPackages", () => {
  it("keeps one argv element per non-blank line, spaces inside included", () => {
    expect(splitLines("python3\r\n-c\nprint('a b')\n\n")).toEqual(["python3", "-c", "print('a b')"]);
  });

  it("splits package names on spaces, commas and new lines", () => {
    expect(splitPackages(" libpq-dev, zlib1g-dev\nlibffi-dev ")).toEqual(["libpq-dev", "zlib1g-dev", "libffi-dev"]);
  });
});
