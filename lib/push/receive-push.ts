// Receives one incoming push delivery: the project's hook, the signature over the bounded raw
// body (before any JSON parsing), the branch filter, the delivery id claimed once, and exactly one
// comparison of every variant queued at the pushed commit. A bad or missing signature is refused
// (401) before anything is recorded.
import "server-only";
import { NextResponse } from "next/server";
import { AppError, toErrorInfo } from "@/lib/errors";
import { readBodyWithLimit } from "@/lib/api/route";
import { formatBytes } from "@/lib/format/bytes";
import { getProjectRecord } from "@/lib/data/projects";
import { claimPushDelivery, finishPushDelivery, findPushHookSecret, recordIgnoredPushDelivery } from "@/lib/data/push-hooks";
import { openSecret } from "@/lib/notifications/secret-box";
import { startComparison } from "@/lib/builds/start-comparison";
import { detectPushSource, findPushSignature, verifyPushSignature } from "@/lib/push/push-signature";
import { decidePush, parsePushEvent } from "@/lib/push/push-event";

/** GitHub caps payloads at 25 MB, but a push of 20 commits is a few hundred kB. */
export const PUSH_MAX_BODY_BYTES = 5 * 1024 * 1024;

export type PushReceipt = {
  outcome: "queued" | "ignored" | "already handled";
  message: string;
  deliveryId: string;
  commit: string | null;
  comparisonId: string | null;
};

const answer = (status: number, receipt: PushReceipt) => NextResponse.json({ push: receipt }, { status });

export const receivePush = async (projectIdOrSlug: string, request: Request): Promise<Response> => {
  const project = await getProjectRecord(projectIdOrSlug);
  const hook = await findPushHookSecret(project.id);
  if (!hook) throw new AppError("NOT_FOUND", `project ${project.slug} has no push hook`);
  const source = detectPushSource(request.headers);
  const signature = findPushSignature(source, request.headers);
  if (!signature) {
    await request.body?.cancel("unsigned").catch(() => undefined);
    throw new AppError("UNAUTHENTICATED", `missing signature: ${source === "gitlab" ? "X-Gitlab-Token" : source === "gitea" ? "X-Gitea-Signature" : source === "github" ? "X-Hub-Signature-256" : "X-Layerboard-Signature"}`);
  }
  const body = await readBodyWithLimit(request, PUSH_MAX_BODY_BYTES, () => new AppError("PAYLOAD_TOO_LARGE", `body: larger than ${formatBytes(PUSH_MAX_BODY_BYTES)}`));
  const secret = { secret: () => openSecret(hook.secretCiphertext), secretHash: hook.secretHash };
  if (!verifyPushSignature(source, signature, body, secret)) throw new AppError("UNAUTHENTICATED", "the signature does not match this project's push secret");

  const parsed = parsePushEvent(source, request.headers, body);
  if (!parsed.ok) throw new AppError("VALIDATION", parsed.message);
  const event = parsed.event;
  const decision =
    project.contextKind !== "GIT" ? { build: false as const, reason: "the project's context is not a git repository" } : decidePush(event, hook.branch ?? project.gitRef);
  const base = { projectId: project.id, source, deliveryId: event.deliveryId, ref: event.ref, commitSha: event.after };
  if (!decision.build) {
    const recorded = await recordIgnoredPushDelivery({ ...base, message: decision.reason });
    return answer(200, {
      outcome: recorded === "replayed" ? "already handled" : "ignored",
      message: recorded === "replayed" ? `delivery ${event.deliveryId} was already received` : decision.reason,
      deliveryId: event.deliveryId,
      commit: event.after,
      comparisonId: null,
    });
  }
  const claim = await claimPushDelivery(base);
  if (!claim.claimed)
    return answer(200, {
      outcome: "already handled",
      message: `delivery ${event.deliveryId} was already received (${claim.existing.outcome}${claim.existing.message ? `: ${claim.existing.message}` : ""})`,
      deliveryId: event.deliveryId,
      commit: claim.existing.commitSha,
      comparisonId: claim.existing.comparisonId,
    });
  try {
    const comparison = await startComparison(project.id, { ref: decision.sha });
    const message = `comparison of ${comparison.builds.length} variant${comparison.builds.length === 1 ? "" : "s"} queued at ${decision.sha.slice(0, 12)}`;
    await finishPushDelivery(claim.id, { outcome: "queued", message, comparisonId: comparison.id });
    return answer(202, { outcome: "queued", message, deliveryId: event.deliveryId, commit: decision.sha, comparisonId: comparison.id });
  } catch (error) {
    // Recorded as failed: a redelivery of the same id is a retry.
    await finishPushDelivery(claim.id, { outcome: "failed", message: toErrorInfo(error, "api").message });
    throw error;
  }
};
