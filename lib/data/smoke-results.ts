// The smoke run of a build's image: whether it starts, its exit code and output.
import "server-only";
import { db } from "@/lib/db";

export type SmokeResultInput = {
  command: string[];
  runs: boolean;
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  oomKilled: boolean;
  outputHead: string;
  outputTail: string;
  error: string | null;
};

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
