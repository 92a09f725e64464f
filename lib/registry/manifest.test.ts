import { describe, expect, it } from "vitest";
import { parseAuthChallenge, parseManifest } from "@/lib/registry/manifest";

// The shape docker-registry 2.8 returned here for an engine 20.10 push (`skopeo inspect --raw`), digests replaced;
// the real round trip is tests/integration/registry-push.test.ts.
const CAPTURED = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.docker.distribution.manifest.v2+json",
  config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 1474, digest: `sha256:${"a".repeat(64)}` },
  layers: [
    { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 52478321, digest: `sha256:${"b".repeat(64)}` },
    { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 163, digest: `sha256:${"c".repeat(64)}` },
  ],
});

describe("parseManifest", () => {
  it("reads each layer's compressed size, digest and media type in order", () => {
    const manifest = parseManifest(CAPTURED, `sha256:${"d".repeat(64)}`, null);
    expect(manifest.layers.map((layer) => layer.size)).toEqual([52478321, 163]);
    expect(manifest.layers[0].mediaType).toBe("application/vnd.docker.image.rootfs.diff.tar.gzip");
    expect(manifest.mediaType).toBe("application/vnd.docker.distribution.manifest.v2+json");
  });

  it("refuses a manifest list or a schema 1 manifest with a message", () => {
    expect(() => parseManifest(JSON.stringify({ schemaVersion: 2, manifests: [] }), "x", null)).toThrow(/not an image manifest/);
    expect(() => parseManifest("<html>", "x", null)).toThrow(/not JSON/);
  });
});

describe("parseAuthChallenge", () => {
  it("reads a bearer challenge's realm, service and scope", () => {
    expect(parseAuthChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull"')).toEqual({
      scheme: "bearer",
      realm: "https://auth.example/token",
      service: "registry.example",
      scope: "repository:team/app:pull",
    });
  });

  it("knows basic auth and ignores what it cannot use", () => {
    expect(parseAuthChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: "basic" });
    expect(parseAuthChallenge("Negotiate abc")).toBeNull();
    expect(parseAuthChallenge(null)).toBeNull();
  });
});
