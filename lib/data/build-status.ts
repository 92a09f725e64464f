// The build state machine: the only module that writes Build.status (and what moves with
// it: startedAt, finishedAt, durationMs, workerId, heartbeatAt, cancelRequested, errorCode).
//
//   QUEUED ──claim──> RUNNING ──finish──> SUCCEEDED | FAILED
//     │                 │  └─cancel requested (flag), then the worker stops──> CANCELLED
//     │                 └─worker gone or shut down──> INTERRUPTED
//     └─cancel──> CANCELLED;  could not enqueue──> FAILED;  worker shut down before the claim──> INTERRUPTED
//
// Each transition is one conditional updateMany whose `where` holds the allowed "from"
// statuses taken from `BUILD_TRANSITIONS`, so two writers racing (a cancel and a claim, a
// finish and the orphan reaper) can never both win, and a finished build never changes.
//
// durationMs rule, for every final status alike: finishedAt − startedAt when the build was
// started (claimed by a worker), else null. Time spent waiting in the queue is not build time;
// a build cancelled, failed or interrupted before it started has no duration.
import "server-only";
import { db } from "@/lib/db";
import { AppError, type StoredErrorCode } from "@/lib/errors";
import { buildSummaryInclude, toBuildSummaryDto } from "@/lib/data/mappers";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BuildStatus, BuildSummaryDto } from "@/lib/types";

/** The allowed transitions, from → to. Finished statuses have none: a finished build is history. */
export const BUILD_TRANSITIONS = {
  // RUNNING: a worker claimed it. FAILED: it could not be enqueued. CANCELLED: a user's
  // cancel. INTERRUPTED: its worker shut down between taking the job and the claim.
  QUEUED: ["RUNNING", "CANCELLED", "FAILED", "INTERRUPTED"],
  // RUNNING → RUNNING: the same worker claims again after a lost answer to its first claim.
  RUNNING: ["RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
  INTERRUPTED: [],
} as const satisfies Record<BuildStatus, readonly BuildStatus[]>;

export type FinalBuildStatus = "SUCCEEDED" | "FAILED" | "CANCELLED" | "INTERRUPTED";

/** What a build that did not succeed stores in errorCode/error. */
export type BuildFailure = { code: StoredErrorCode; message: string };

const STATUSES = Object.keys(BUILD_TRANSITIONS) as BuildStatus[];

export const canTransition = (from: BuildStatus, to: BuildStatus): boolean =>
  (BUILD_TRANSITIONS[from] as readonly BuildStatus[]).includes(to);

/** The statuses a build may be in for a move to `to`. */
export const allowedFrom = (to: BuildStatus): BuildStatus[] => STATUSES.filter((from) => canTransition(from, to));

export const durationOf = (startedAt: Date | null, finishedAt: Date): number | null =>
  startedAt ? finishedAt.getTime() - startedAt.getTime() : null;

/** Queue: a new build, QUEUED. The caller (lib/builds/start-build.ts) enqueues its job. */
export const createQueuedBuild = async (input: {
  projectId: string;
  variantId: string;
  comparisonId: string | null;
  builder: "BUILDKIT" | "CLASSIC";
  contextRevision: string | null;
  settings: Prisma.InputJsonValue;
}): Promise<BuildSummaryDto> =>
  toBuildSummaryDto(await db.build.create({ data: { ...input, status: "QUEUED" }, include: buildSummaryInclude }));

/**
 * Claim: QUEUED → RUNNING for this worker. Also matches a build this worker already claimed,
 * so a retried claim after a lost answer succeeds. False when it was cancelled or taken.
 */
export const claimBuild = async (buildId: string, workerId: string): Promise<boolean> => {
  const now = new Date();
  const { count } = await db.build.updateMany({
    where: { id: buildId, status: { in: allowedFrom("RUNNING") }, OR: [{ status: "QUEUED" }, { workerId }] },
    data: { status: "RUNNING", startedAt: now, heartbeatAt: now, workerId },
  });
  return count > 0;
};

/**
 * Heartbeat of a worker's running builds; returns those a user asked to cancel, for the
 * worker to stop. Only RUNNING builds of this worker are touched.
 */
export const recordBuildHeartbeats = async (workerId: string, buildIds: string[], at = new Date()): Promise<string[]> => {
  if (!buildIds.length) return [];
  await db.build.updateMany({ where: { id: { in: buildIds }, status: "RUNNING", workerId }, data: { heartbeatAt: at } });
  const cancelled = await db.build.findMany({
    where: { id: { in: buildIds }, status: "RUNNING", cancelRequested: true },
    select: { id: true },
  });
  return cancelled.map((build) => build.id);
};

const MAX_FINISH_ATTEMPTS = 5;

/**
 * Finish: moves a build to a final status, only from a status the table allows (narrowed by
 * `from`; with `workerId`, only that worker's build — null for one no worker holds). Returns
 * whether this call changed it: false when the build is missing, already finished, in a
 * status `from` excludes, or held by another worker.
 *
 * durationMs needs startedAt, which updateMany cannot read: it is read first and the write is
 * conditional on it too, so a claim in between (which sets startedAt) makes the write miss and
 * the decision is taken again on fresh state.
 */
export const finishBuild = async (
  buildId: string,
  status: FinalBuildStatus,
  failure: BuildFailure | null,
  options: { from?: BuildStatus[]; workerId?: string | null } = {},
): Promise<boolean> => {
  const from = options.from ?? allowedFrom(status);
  const illegal = from.filter((s) => !canTransition(s, status));
  if (illegal.length) throw new AppError("INTERNAL", `a build cannot go from ${illegal.join(", ")} to ${status}`);
  const owner = options.workerId === undefined ? {} : { workerId: options.workerId };
  for (let attempt = 1; attempt <= MAX_FINISH_ATTEMPTS; attempt++) {
    const current = await db.build.findFirst({ where: { id: buildId, status: { in: from }, ...owner }, select: { startedAt: true } });
    if (!current) return false;
    const finishedAt = new Date();
    const { count } = await db.build.updateMany({
      where: { id: buildId, status: { in: from }, ...owner, startedAt: current.startedAt },
      data: {
        status,
        finishedAt,
        durationMs: durationOf(current.startedAt, finishedAt),
        errorCode: failure?.code ?? null,
        error: failure?.message ?? null,
      },
    });
    if (count) return true;
    // Another writer moved it in between (claimed, cancelled, finished): decide again.
  }
  return false;
};

/** Could not enqueue: QUEUED → FAILED; the record stays, rather than a queued build nobody will run. */
export const failUnqueuedBuild = (buildId: string, message: string) =>
  finishBuild(buildId, "FAILED", { code: "QUEUE_UNAVAILABLE", message }, { from: ["QUEUED"] });

/** Interrupt: RUNNING → INTERRUPTED for a build whose worker is gone (matched by that worker's id). */
export const interruptBuild = (buildId: string, workerId: string | null, message: string) =>
  finishBuild(buildId, "INTERRUPTED", { code: "INTERRUPTED", message }, { from: ["RUNNING"], workerId });

/**
 * Cancel: a queued build is cancelled at once (QUEUED → CANCELLED); a running one is flagged
 * and its worker, on its next heartbeat, stops the engine build and finishes it CANCELLED.
 * Returns the status the build has now; CONFLICT when it already finished.
 */
export const requestBuildCancel = async (buildId: string): Promise<BuildStatus> => {
  const cancelled = await finishBuild(buildId, "CANCELLED", { code: "CANCELLED", message: "cancelled before it started" }, { from: ["QUEUED"] });
  if (cancelled) return "CANCELLED";
  const flagged = await db.build.updateMany({ where: { id: buildId, status: "RUNNING" }, data: { cancelRequested: true } });
  if (flagged.count) return "RUNNING";
  const build = await db.build.findUnique({ where: { id: buildId }, select: { status: true } });
  if (!build) throw new AppError("NOT_FOUND", `build ${buildId} not found`);
  throw new AppError("CONFLICT", `build ${buildId} already finished (${build.status.toLowerCase()})`);
};

/** Running builds with their worker and last sign of life, for the orphan check. */
export const findRunningBuilds = () =>
  db.build.findMany({
    where: { status: "RUNNING" },
    select: { id: true, workerId: true, heartbeatAt: true, startedAt: true },
  });
