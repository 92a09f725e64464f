// The smoke run of a build's image: whether it starts, its exit code and output.
import "server-only";
import { db } from "@/lib/db";
import type { SmokeDto } from "@/lib/types";

export type SmokeResultInput = SmokeDto;

/** One per build; a retried write replaces it. */
export const saveSmokeResult = async (buildId: string, smoke: SmokeResultInput): Promise<void> => {
  const fields = {
    command: smoke.command,
    runs: smoke.runs,
    exitCode: smoke.exitCode,
    durationMs: smoke.durationMs,
    timedOut: smoke.timedOut,
    oomKilled: smoke.oomKilled,
    outputHead: smoke.outputHead,
    outputTail: smoke.outputTail,
    error: smoke.error,
  };
  await db.smokeResult.upsert({ where: { buildId }, create: { buildId, ...fields }, update: fields });
};
