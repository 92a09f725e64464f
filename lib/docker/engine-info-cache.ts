// The engine's answer to version + info, remembered for a few seconds per client: a worker asks
// before it claims a build and again when the pipeline starts (issue 16: two round trips per
// build that `docker build` does not make). Only a reachable engine is remembered; a failure
// is always asked again.
import "server-only";
import type Docker from "dockerode";
import { getEngineInfo, type EngineInfo } from "@/lib/docker/engine-info";

const MAX_AGE_MS = 10_000;
const recent = new WeakMap<Docker, { at: number; info: Promise<EngineInfo> }>();

export const getRecentEngineInfo = async (docker: Docker, maxAgeMs = MAX_AGE_MS): Promise<EngineInfo> => {
  const cached = recent.get(docker);
  if (cached && Date.now() - cached.at < maxAgeMs) {
    const info = await cached.info;
    if (info.reachable) return info;
  }
  const entry = { at: Date.now(), info: getEngineInfo(docker) };
  recent.set(docker, entry);
  const info = await entry.info;
  if (!info.reachable && recent.get(docker) === entry) recent.delete(docker);
  return info;
};

/** Stores an answer the caller just had (the worker's check before a claim) for the pipeline to reuse. */
export const rememberEngineInfo = (docker: Docker, info: EngineInfo): void => {
  if (info.reachable) recent.set(docker, { at: Date.now(), info: Promise.resolve(info) });
};
