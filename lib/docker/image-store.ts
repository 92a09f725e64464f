// Which image store an engine keeps, and the sizes that store reports (issue 17 item 5). Pure.
// overlay2 and the other graph drivers: `GET /images/{id}/json` `Size` is the sum of the
// uncompressed layers (checked to the byte on 20.10). The containerd image store (the default of
// new Docker Engine installs, `Driver: "overlayfs"` with DriverStatus `driver-type
// io.containerd.snapshotter.v1`) keeps the compressed blobs as content and unpacks them into
// snapshots: `GET /images/{id}/json?manifests=1` (API 1.48+) reports both, per platform manifest,
// as `Size.Content` (the compressed content) and `ImageData.Size.Unpacked` (the unpacked snapshots).

export type ImageStore = { kind: "containerd" | "graphdriver"; driver: string };

export type SystemInfoForStore = { Driver?: string; DriverStatus?: Array<[string, string]> | null };

export const detectImageStore = (info: SystemInfoForStore): ImageStore => {
  const driverType = (info.DriverStatus ?? []).find(([key]) => key === "driver-type")?.[1] ?? "";
  const driver = info.Driver ?? "";
  return { kind: driverType.startsWith("io.containerd.snapshotter") ? "containerd" : "graphdriver", driver };
};

/** What the build page says a number means, per store. */
export const imageStoreLabel = (store: string | null): string =>
  store === "containerd"
    ? "containerd image store: on-disk = unpacked snapshots, compressed = content store blobs"
    : store
      ? `${store} store: on-disk = sum of uncompressed layers`
      : "store not recorded";

type ManifestSummary = {
  Kind?: string;
  Available?: boolean;
  Size?: { Total?: number; Content?: number };
  ImageData?: { Platform?: { os?: string; architecture?: string }; Size?: { Unpacked?: number } } | null;
};

export type InspectWithManifests = { Id?: string; Size?: number; Manifests?: ManifestSummary[] | null };

export type ContainerdSizes = { unpacked: number; content: number };

/** The image manifest of the engine's platform (else the first available one); null without manifests. */
export const readContainerdSizes = (inspect: InspectWithManifests, platform: { os: string; arch: string }): ContainerdSizes | null => {
  const images = (inspect.Manifests ?? []).filter((manifest) => manifest.Kind === "image" && manifest.Available !== false);
  const chosen =
    images.find((manifest) => manifest.ImageData?.Platform?.os === platform.os && manifest.ImageData?.Platform?.architecture === platform.arch) ?? images[0];
  const unpacked = chosen?.ImageData?.Size?.Unpacked;
  const content = chosen?.Size?.Content;
  if (typeof unpacked !== "number" || typeof content !== "number") return null;
  return { unpacked, content };
};
