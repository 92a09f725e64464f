// NOT captured: this machine's engine (20.10) has only overlay2. Written from the documented
// shapes of the Docker Engine API v1.48 (`GET /info` DriverStatus on an engine with the
// containerd image store, `GET /images/{id}/json?manifests=1` ImageManifestSummary) and
// the output of `docker info` on Docker 29 as shown in its documentation. The overlay2 info is
// what engine 20.10 answers here (`curl --unix-socket /var/run/docker.sock localhost/info`, trimmed).

export const OVERLAY2_INFO = {
  Driver: "overlay2",
  DriverStatus: [
    ["Backing Filesystem", "extfs"],
    ["Supports d_type", "true"],
    ["Native Overlay Diff", "true"],
    ["userxattr", "false"],
  ] as Array<[string, string]>,
};

export const CONTAINERD_INFO = {
  Driver: "overlayfs",
  DriverStatus: [["driver-type", "io.containerd.snapshotter.v1"]] as Array<[string, string]>,
};

export const CONTAINERD_IMAGE_INSPECT = {
  Id: "sha256:4f3b6f2d1f0f7e0a3a8e9b6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
  Size: 8_213_251,
  Manifests: [
    {
      ID: "sha256:9d1b3a…amd64",
      Descriptor: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: "sha256:9d1b3a", size: 1035 },
      Available: true,
      Size: { Total: 12_200_746, Content: 3_987_495 },
      Kind: "image",
      ImageData: { Platform: { architecture: "amd64", os: "linux" }, Containers: [], Size: { Unpacked: 8_213_251 } },
      AttestationData: null,
    },
    {
      ID: "sha256:77aa…attestation",
      Descriptor: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: "sha256:77aa", size: 566 },
      Available: true,
      Size: { Total: 1_402, Content: 1_402 },
      Kind: "attestation",
      ImageData: null,
      AttestationData: { For: "sha256:9d1b3a" },
    },
    {
      ID: "sha256:aa01…arm64",
      Descriptor: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: "sha256:aa01", size: 1035 },
      Available: false,
      Size: { Total: 1_035, Content: 1_035 },
      Kind: "image",
      ImageData: { Platform: { architecture: "arm64", os: "linux" }, Containers: [], Size: { Unpacked: 0 } },
      AttestationData: null,
    },
  ],
};
