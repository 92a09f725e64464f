import { describe, expect, it } from "vitest";
import { imageReferenceFor, isLoopbackHost, pushTagFor, registryBaseUrl, registryHostSchema, repositoryPrefixSchema, splitImageReference } from "@/lib/registry/reference";

describe("where a build's image goes", () => {
  it("tags with the variant and the commit, else the build id", () => {
    expect(pushTagFor("Multi stage", "3fde5c4f68ae60fd72f877be45392e0b97ba3b7d", "cmx5abc")).toBe("multi-stage-3fde5c4f68ae");
    expect(pushTagFor("venv --copies", null, "cmX5Abc")).toBe("venv-copies-cmx5abc");
    expect(pushTagFor("x", "not a sha", "b1")).toBe("x-b1");
    expect(imageReferenceFor({ host: "registry.example:5000", repository: "team/images" }, "PyApp", "slim-1")).toBe("registry.example:5000/team/images/pyapp:slim-1");
    expect(imageReferenceFor({ host: "127.0.0.1:5000", repository: "" }, "pyapp", "t")).toBe("127.0.0.1:5000/pyapp:t");
  });

  it("refuses hosts with a scheme or a path and prefixes that are not lowercase path components", () => {
    expect(registryHostSchema.safeParse("https://registry.example").success).toBe(false);
    expect(registryHostSchema.safeParse("registry.example/team").success).toBe(false);
    expect(registryHostSchema.safeParse("registry.example:5000").success).toBe(true);
    expect(repositoryPrefixSchema.safeParse("Team/Images").success).toBe(false);
    expect(repositoryPrefixSchema.safeParse("team/../x").success).toBe(false);
    expect(repositoryPrefixSchema.safeParse("team/images").success).toBe(true);
  });

  it("speaks plain HTTP only to loopback or an explicitly insecure host", () => {
    expect(isLoopbackHost("127.0.0.1:5000")).toBe(true);
    expect(isLoopbackHost("localhost")).toBe(true);
    expect(isLoopbackHost("10.0.0.1:5000")).toBe(false);
    expect(registryBaseUrl({ host: "registry.example", insecure: false })).toBe("https://registry.example");
    expect(registryBaseUrl({ host: "10.0.0.1:5000", insecure: true })).toBe("http://10.0.0.1:5000");
  });

  it("splits a registry reference into host, path and tag or digest", () => {
    expect(splitImageReference("127.0.0.1:5000/base/bookworm:1")).toEqual({ host: "127.0.0.1:5000", path: "base/bookworm", tag: "1" });
    expect(splitImageReference("registry.example/base")).toEqual({ host: "registry.example", path: "base", tag: "latest" });
    expect(splitImageReference("no-host")).toBeNull();
  });
});
