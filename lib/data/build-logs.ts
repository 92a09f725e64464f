// A build's live record: its log lines, its steps and their counters on the build row,
// written in batches by the pipeline's recorder and read by the log download and SSE.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { toStepDto } from "@/lib/data/mappers";
import { BUILD_LOG_CHANNEL } from "@/lib/data/build-notify";
import type { LogLineDto, StepDto, StepFields } from "@/lib/types";

/** `stepDigest`: the BuildKit step that printed the line (issue 13: the log grouped by step). */
export type LogLineInput = { seq: number; stream: string; text: string; at: Date; stepDigest?: string | null };

export type StepInput = StepFields<Date> & {
  /** Order of first appearance; set when the step is first written, kept afterwards. */
  position: number;
  /** Builder pattern: "build" for a step of the build image, else "main"; set on the first write, kept. */
  image?: string;
};

export type LogCounters = { logLines: number; logBytes: number; logTruncated: boolean };

/** Where a build's log stands, so a recorder that starts again continues the sequence. */
export const getLogCounters = async (buildId: string): Promise<LogCounters> => {
  const row = await db.build.findUnique({ where: { id: buildId }, select: { logLines: true, logBytes: true, logTruncated: true } });
  if (!row) throw new AppError("NOT_FOUND", `build ${buildId} not found`);
  return row;
};

/**
 * One batch in one transaction: new log lines (a retried batch skips the lines it already
 * wrote), step upserts, and the counters — steps counted over `allSteps`, every step known so far.
 */
export const writeLogBatch = async (
  buildId: string,
  batch: { lines: LogLineInput[]; steps: StepInput[]; allSteps: Array<Pick<StepInput, "completedAt" | "cached">>; logBytes: number; logTruncated: boolean },
): Promise<void> => {
  const { lines, steps, allSteps } = batch;
  // Named one by one: position is kept from the first write, and nothing else slips in.
  const stepFields = (step: StepInput) => ({
    name: step.name,
    stage: step.stage,
    startedAt: step.startedAt,
    completedAt: step.completedAt,
    cached: step.cached,
    error: step.error,
  });
  await db.$transaction([
    db.logLine.createMany({ data: lines.map((line) => ({ ...line, buildId })), skipDuplicates: true }),
    ...steps.map((step) =>
      db.buildStep.upsert({
        where: { buildId_digest: { buildId, digest: step.digest } },
        create: { buildId, digest: step.digest, position: step.position, ...(step.image ? { image: step.image } : {}), ...stepFields(step) },
        update: stepFields(step),
      }),
    ),
    db.build.update({
      where: { id: buildId },
      data: {
        ...(lines.length ? { logLines: lines[lines.length - 1].seq } : {}),
        logBytes: batch.logBytes,
        logTruncated: batch.logTruncated,
        ...(steps.length
          ? {
              stepsTotal: allSteps.length,
              stepsDone: allSteps.filter((s) => s.completedAt).length,
              cachedSteps: allSteps.filter((s) => s.cached).length,
            }
          : {}),
      },
    }),
    // Wakes the live feeds of this build in every web process, at commit (lib/data/build-notify.ts).
    db.$executeRaw`SELECT pg_notify(${BUILD_LOG_CHANNEL}, ${buildId})`,
  ]);
};

export const findLogLines = async (buildId: string, afterSeq: number, limit = 1000): Promise<LogLineDto[]> => {
  const rows = await db.logLine.findMany({
    where: { buildId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
  });
  return rows.map((r) => ({ seq: r.seq, stream: r.stream, text: r.text, at: r.at.toISOString(), step: r.stepDigest }));
};

export const findBuildSteps = async (buildId: string): Promise<StepDto[]> =>
  (await db.buildStep.findMany({ where: { buildId }, orderBy: { position: "asc" } })).map(toStepDto);
