// Database and engine health for /api/health and the status footer.
import "server-only";
import { pingDatabase } from "@/lib/db";
import { getEngineInfo } from "@/lib/docker/engine-info";
import { getEnv } from "@/lib/env";

export type Health = {
  ok: boolean;
  database: { ok: true; latencyMs: number } | { ok: false; reason: string };
  engine: Awaited<ReturnType<typeof getEngineInfo>>;
};

const withTimeout = <T>(promise: Promise<T>, ms: number, label: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${label} did not answer in ${ms} ms`)), ms))]);

export const checkDatabase = async (): Promise<Health["database"]> => {
  const started = Date.now();
  try {
    await withTimeout(pingDatabase(), 3000, "database");
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split("\n").filter(Boolean).pop()! : String(error) };
  }
};

export const getHealth = async (): Promise<Health> => {
  const [database, engine] = await Promise.all([checkDatabase(), getEngineInfo()]);
  const needsEngine = getEnv().LAYERBOARD_HEALTH_REQUIRES_ENGINE === "true";
  return { ok: database.ok && (engine.reachable || !needsEngine), database, engine };
};
