import { describe, expect, it } from "vitest";
import { declaresArg, findFinalBaseImage } from "./dockerfile";

const multiStage = `ARG BASE_IMAGE=debian:bookworm-slim
FROM \${BASE_IMAGE} AS builder
RUN apt-get update && \\
    apt-get install -y gcc
FROM builder AS tested
FROM \${BASE_IMAGE}
COPY --from=builder /opt/venv /opt/venv
`;

describe("findFinalBaseImage", () => {
  it("substitutes global ARG defaults and build args", () => {
    expect(findFinalBaseImage(multiStage)).toBe("debian:bookworm-slim");
    expect(findFinalBaseImage(multiStage, { BASE_IMAGE: "local/base:1" })).toBe("local/base:1");
  });

  it("follows a stage alias back to the real image for a target", () => {
    expect(findFinalBaseImage(multiStage, { BASE_IMAGE: "x:1" }, "tested")).toBe("x:1");
  });

  it("returns null without FROM", () => {
    expect(findFinalBaseImage("RUN true")).toBeNull();
  });
});

describe("declaresArg", () => {
  it("finds ARG with and without default", () => {
    expect(declaresArg(multiStage, "BASE_IMAGE")).toBe(true);
    expect(declaresArg("ARG FOO\nFROM x", "FOO")).toBe(true);
    expect(declaresArg("FROM x", "BASE_IMAGE")).toBe(false);
  });
});
