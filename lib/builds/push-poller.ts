// Polls the branches of projects whose git host sends no webhooks (issue 15, docs/push.md): every
// due poll reads its branch head with `git ls-remote`; a head that moved since the one stored
// queues one comparison at the new commit, recorded as a "poll" delivery (its id names the commit,
// so a retry after a crash queues nothing twice). The seen head lives in Postgres: restarts resume.
import "server-only";
import { toErrorInfo } from "@/lib/errors";
import { claimDuePushPolls, claimPushDelivery, finishPushDelivery, recordPushPollResult } from "@/lib/data/push-hooks";
import { findRemoteBranchHead } from "@/lib/builds/context/ls-remote";
import { startComparison } from "@/lib/builds/start-comparison";

/** How often a worker looks for due polls; each poll has its own interval (≥ 60 s). */
export const PUSH_POLL_TICK_MS = 15_000;
const LS_REMOTE_TIMEOUT_MS = 30_000;
const POLLS_PER_TICK = 10;

export type PollOutcome = { projectId: string; result: "first look" | "unchanged" | "queued" | "already queued" | "failed" | "no branch"; sha: string | null; comparisonId?: string };

const pollOne = async (poll: Awaited<ReturnType<typeof claimDuePushPolls>>[number]): Promise<PollOutcome> => {
  const { projectId, branch, lastSeenSha } = poll;
  let head: string | null;
  try {
    head = await findRemoteBranchHead(poll.gitUrl ?? "", branch, { timeoutMs: LS_REMOTE_TIMEOUT_MS });
  } catch (error) {
    await recordPushPollResult(projectId, { fromSha: lastSeenSha, seenSha: null, error: toErrorInfo(error, "api").message });
    return { projectId, result: "failed", sha: null };
  }
  if (!head) {
    await recordPushPollResult(projectId, { fromSha: lastSeenSha, seenSha: null, error: `branch ${branch} not found` });
    return { projectId, result: "no branch", sha: null };
  }
  // The first look only learns where the branch is: turning polling on builds nothing by itself.
  if (!lastSeenSha || head === lastSeenSha) {
    await recordPushPollResult(projectId, { fromSha: lastSeenSha, seenSha: head, error: null });
    return { projectId, result: lastSeenSha ? "unchanged" : "first look", sha: head };
  }
  const claim = await claimPushDelivery({ projectId, source: "poll", deliveryId: `poll-${head}`, ref: `refs/heads/${branch}`, commitSha: head });
  if (!claim.claimed) {
    await recordPushPollResult(projectId, { fromSha: lastSeenSha, seenSha: head, error: null });
    return { projectId, result: "already queued", sha: head };
  }
  try {
    const comparison = await startComparison(projectId, { ref: head });
    await finishPushDelivery(claim.id, { outcome: "queued", message: `${branch} moved from ${lastSeenSha.slice(0, 12)}: comparison queued`, comparisonId: comparison.id });
    await recordPushPollResult(projectId, { fromSha: lastSeenSha, seenSha: head, error: null });
    return { projectId, result: "queued", sha: head, comparisonId: comparison.id };
  } catch (error) {
    const message = toErrorInfo(error, "api").message;
    // The head stays unseen: the next poll retries (the failed delivery may be claimed again).
    await finishPushDelivery(claim.id, { outcome: "failed", message });
    await recordPushPollResult(projectId, { fromSha: lastSeenSha, seenSha: null, error: message });
    return { projectId, result: "failed", sha: head };
  }
};

/** One round: every due poll (at most POLLS_PER_TICK), one after another. */
export const pollDuePushes = async (): Promise<PollOutcome[]> => {
  const outcomes: PollOutcome[] = [];
  for (const poll of await claimDuePushPolls(POLLS_PER_TICK)) outcomes.push(await pollOne(poll));
  return outcomes;
};

/** The worker's timer; stop() waits for a round under way. */
export const startPushPoller = (options: { tickMs?: number; log?: (message: string) => void } = {}) => {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = pollDuePushes()
      .then((outcomes) => {
        for (const o of outcomes) if (o.result === "queued" || o.result === "failed") options.log?.(`[push-poll] project ${o.projectId}: ${o.result}${o.sha ? ` at ${o.sha.slice(0, 12)}` : ""}`);
      })
      .catch((error) => options.log?.(`[push-poll] round failed: ${String(error)}`));
  };
  const timer = setInterval(() => {
    if (!stopped) tick();
  }, options.tickMs ?? PUSH_POLL_TICK_MS);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
};
