import { describe, expect, it } from "vitest";
import { findMissingSecret, toBuildFailure } from "@/lib/docker/build-failure";

describe("toBuildFailure", () => {
  // Captured from engine 20.10.24 (BuildKit 0.8): a required mount of an id the session does not serve.
  it("names the secret of a required mount BuildKit 0.8 could not find", () => {
    const error = toBuildFailure("secret missing not found: not found");
    expect(error.code).toBe("BUILD_FAILED");
    expect(error.message).toBe('build secret "missing" is not defined for this project or variant');
  });

  // moby/buildkit master session/secrets/secrets.go: errors.Wrapf(ErrNotFound, "secret %s", id).
  it("names it in the wording of newer BuildKit releases too", () => {
    expect(findMissingSecret("failed to solve: secret npm.token_1-x: not found")).toBe("npm.token_1-x");
    expect(toBuildFailure("secret h17s-missing: not found").message).toBe('build secret "h17s-missing" is not defined for this project or variant');
  });

  it("keeps SESSION_REQUIRED for what still needs a session feature Layerboard does not serve", () => {
    const error = toBuildFailure("failed to solve with frontend dockerfile.v0: no active sessions");
    expect(error.code).toBe("SESSION_REQUIRED");
    expect(error.message).toMatch(/^failed to solve with frontend dockerfile\.v0: no active sessions: .*SSH/);
    // Captured from engine 20.10.24: `RUN --mount=type=ssh,required=true` with Layerboard's session.
    expect(toBuildFailure('no SSH key "" forwarded from the client')).toMatchObject({ code: "SESSION_REQUIRED" });
    // Captured from engine 20.10.24: a session that serves no health check is dropped after ~1 s.
    expect(toBuildFailure("no active session for 823c251b-b4dd-4a76-ade3-b8dd7188d42d: context deadline exceeded")).toMatchObject({ code: "SESSION_REQUIRED" });
  });

  it("leaves every other failure as it is", () => {
    const message = 'executor failed running [/bin/sh -c exit 3]: exit code: 3';
    expect(toBuildFailure(message)).toMatchObject({ code: "BUILD_FAILED", message });
    expect(findMissingSecret("open /run/secrets/token: no such file or directory")).toBeNull();
    expect(findMissingSecret("pulling from host 127.0.0.1:5000 failed with status code [manifests 1]: 404 Not Found")).toBeNull();
  });
});
