// Whether the engine answers, and what it is: shown in settings and recorded with each build.
import "server-only";
import type Docker from "dockerode";
import { getDocker } from "@/lib/docker/client";
import type { AppError } from "@/lib/errors";
import { classifyEngineError, engineUnavailable } from "@/lib/docker/engine-error";

export type EngineInfo =
  | {
      reachable: true;
      version: string;
      apiVersion: string;
      storageDriver: string;
      // Newer engines default to the containerd image store, where image `Size` means
      // something else than on overlay2/graph drivers.
      containerdImageStore: boolean;
      os: string;
      arch: string;
      // Whether `POST /build?version=2` (BuildKit) is available on this engine.
      buildkit: boolean;
    }
  | { reachable: false; reason: string };

const TIMEOUT_MS = 3_000;

type VersionInfo = { Version?: string; ApiVersion?: string; Os?: string; Arch?: string };
type SystemInfo = { Driver?: string; DriverStatus?: [string, string][]; OSType?: string; Architecture?: string };

// dockerode 5 accepts { abortSignal } here; @types/dockerode 4 only knows the callback form.
type SignalOptions = { abortSignal: AbortSignal };
const withSignal = (docker: Docker) =>
  docker as unknown as {
    version: (options: SignalOptions) => Promise<VersionInfo>;
    info: (options: SignalOptions) => Promise<SystemInfo>;
  };

const compareApiVersions = (a: string, b: string) => {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
};

const describeFailure = (error: unknown, signal: AbortSignal): string => {
  if (signal.aborted) return `no answer within ${TIMEOUT_MS / 1000} s`;
  const failure = classifyEngineError(error);
  return failure.kind === "unreachable" ? failure.reason : failure.message;
};

// Never throws: an engine that is down or slow is a state to show, not an exception.
export const getEngineInfo = async (docker: Docker = getDocker()): Promise<EngineInfo> => {
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  // docker-modem only ties the signal to a request before its response starts; the race
  // covers an engine that accepts the connection and then stays silent.
  const timeout = new Promise<never>((_, reject) =>
    signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
  );
  try {
    const [version, info] = (await Promise.race([
      Promise.all([withSignal(docker).version({ abortSignal: signal }), withSignal(docker).info({ abortSignal: signal })]),
      timeout,
    ])) as [VersionInfo, SystemInfo];
    const apiVersion = version.ApiVersion ?? "";
    const os = info.OSType ?? version.Os ?? "";
    const driverType = info.DriverStatus?.find(([key]) => key === "driver-type")?.[1] ?? "";
    return {
      reachable: true,
      version: version.Version ?? "",
      apiVersion,
      storageDriver: info.Driver ?? "",
      containerdImageStore: driverType.includes("containerd.snapshotter"),
      os,
      arch: info.Architecture ?? version.Arch ?? "",
      // BuildKit came with API 1.39 (Docker 18.09) and builds Linux images only.
      buildkit: os === "linux" && compareApiVersions(apiVersion, "1.39") >= 0,
    };
  } catch (error) {
    return { reachable: false, reason: describeFailure(error, signal) };
  }
};

/**
 * For a failure that does not say whether the engine went away (a build stream cut short, an
 * unexpected error): asks the engine. ENGINE_UNAVAILABLE ("engine unreachable: <why>
 * (<message>)") when it no longer answers, null when it does.
 */
export const findEngineUnavailable = async (message: string, docker: Docker = getDocker()): Promise<AppError | null> => {
  const engine = await getEngineInfo(docker);
  return engine.reachable ? null : engineUnavailable(`${engine.reason} (${message})`);
};
