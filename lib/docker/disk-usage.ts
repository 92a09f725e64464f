// The engine's disk usage (`GET /system/df`) summed per kind for the Settings page, and the one
// build-cache prune (`POST /build/prune`) an administrator may ask for.
import "server-only";
import type Docker from "dockerode";
import { getDocker } from "@/lib/docker/client";
import { toEngineAppError } from "@/lib/docker/engine-error";
import { AppError } from "@/lib/errors";

export type DiskUsageRow = { kind: "images" | "buildCache" | "containers" | "volumes"; count: number; active: number; sizeBytes: number; reclaimableBytes: number };
export type DiskUsage = { rows: DiskUsageRow[]; totalBytes: number };

type DfImage = { Size?: number; SharedSize?: number; Containers?: number };
type DfContainer = { SizeRw?: number; State?: string };
type DfVolume = { UsageData?: { Size?: number; RefCount?: number } };
type DfCache = { Size?: number; InUse?: boolean; Shared?: boolean };
export type SystemDf = { LayersSize?: number; Images?: DfImage[] | null; Containers?: DfContainer[] | null; Volumes?: DfVolume[] | null; BuildCache?: DfCache[] | null };

// /system/df walks every layer and cache record: slow on a big store, so a bound of its own
// (a page must not hang on it). The engine runs one at a time (a second one gets "a disk usage
// operation is already running"), so one answer is shared for a short while and while pending.
const DF_TIMEOUT_MS = 10_000;
const DF_CACHE_MS = 30_000;
const cache = globalThis as unknown as { layerboardDiskUsage?: { at: number; value: Promise<DiskUsage> } };
const PRUNE_TIMEOUT_MS = 10 * 60_000;

const positive = (value: number | undefined) => (typeof value === "number" && value > 0 ? value : 0);

/** Pure: the engine's answer summed the way `docker system df` does (shared layers counted once). */
export const summariseDiskUsage = (df: SystemDf): DiskUsage => {
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  const imagesSize = positive(df.LayersSize);
  // What images in use hold on their own; the rest could go with the images no container uses.
  const inUse = images.filter((i) => positive(i.Containers) > 0).reduce((sum, i) => sum + positive(i.Size) - positive(i.SharedSize), 0);
  const rows: DiskUsageRow[] = [
    { kind: "images", count: images.length, active: images.filter((i) => positive(i.Containers) > 0).length, sizeBytes: imagesSize, reclaimableBytes: Math.max(0, imagesSize - inUse) },
    {
      kind: "buildCache",
      count: cache.length,
      active: cache.filter((c) => c.InUse).length,
      sizeBytes: cache.filter((c) => !c.Shared).reduce((sum, c) => sum + positive(c.Size), 0),
      reclaimableBytes: cache.filter((c) => !c.Shared && !c.InUse).reduce((sum, c) => sum + positive(c.Size), 0),
    },
    {
      kind: "containers",
      count: containers.length,
      active: containers.filter((c) => c.State === "running").length,
      sizeBytes: containers.reduce((sum, c) => sum + positive(c.SizeRw), 0),
      reclaimableBytes: containers.filter((c) => c.State !== "running").reduce((sum, c) => sum + positive(c.SizeRw), 0),
    },
    {
      kind: "volumes",
      count: volumes.length,
      active: volumes.filter((v) => positive(v.UsageData?.RefCount) > 0).length,
      sizeBytes: volumes.reduce((sum, v) => sum + positive(v.UsageData?.Size), 0),
      reclaimableBytes: volumes.filter((v) => positive(v.UsageData?.RefCount) === 0).reduce((sum, v) => sum + positive(v.UsageData?.Size), 0),
    },
  ];
  return { rows, totalBytes: rows.reduce((sum, row) => sum + row.sizeBytes, 0) };
};

// dockerode 5 takes { abortSignal }; @types/dockerode 4 knows only the bare forms.
type WithSignal = {
  df: (options: { abortSignal: AbortSignal }) => Promise<SystemDf>;
  pruneBuilder: (options: { abortSignal: AbortSignal }) => Promise<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>;
};

const askDiskUsage = async (docker: Docker): Promise<DiskUsage> => {
  try {
    return summariseDiskUsage(await (docker as unknown as WithSignal).df({ abortSignal: AbortSignal.timeout(DF_TIMEOUT_MS) }));
  } catch (error) {
    const timedOut = (error as { name?: string }).name === "AbortError" || (error as { name?: string }).name === "TimeoutError";
    throw timedOut
      ? new AppError("ENGINE_UNAVAILABLE", `disk usage (GET /system/df): no answer within ${DF_TIMEOUT_MS / 1000} s; the engine may still be counting, try again shortly`)
      : toEngineAppError(error, "disk usage (GET /system/df)");
  }
};

/** The engine's disk usage; the default engine's answer is shared for DF_CACHE_MS. */
export const getDiskUsage = (docker?: Docker): Promise<DiskUsage> => {
  if (docker) return askDiskUsage(docker);
  const hit = cache.layerboardDiskUsage;
  if (hit && Date.now() - hit.at < DF_CACHE_MS) return hit.value;
  const value = askDiskUsage(getDocker());
  cache.layerboardDiskUsage = { at: Date.now(), value };
  // A failure is not kept: the next page asks again.
  value.catch(() => {
    if (cache.layerboardDiskUsage?.value === value) cache.layerboardDiskUsage = undefined;
  });
  return value;
};

/** `POST /build/prune`: the build cache no build uses now. Destructive: admin only, audited by the caller. */
export const pruneBuildCache = async (docker: Docker = getDocker()): Promise<{ cachesDeleted: number; spaceReclaimedBytes: number }> => {
  try {
    const result = await (docker as unknown as WithSignal).pruneBuilder({ abortSignal: AbortSignal.timeout(PRUNE_TIMEOUT_MS) });
    cache.layerboardDiskUsage = undefined;
    return { cachesDeleted: result.CachesDeleted?.length ?? 0, spaceReclaimedBytes: positive(result.SpaceReclaimed) };
  } catch (error) {
    throw toEngineAppError(error, "build cache prune (POST /build/prune)");
  }
};
