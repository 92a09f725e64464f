// Pure: reads the fields a build needs out of a verified push delivery (GitHub, GitLab, Gitea
// or the generic body, docs/push.md): its delivery id, event kind, ref, pushed commit and the
// repository's default branch; then decides whether it is for the watched branch.
import { z } from "zod";
import type { PushSource } from "@/lib/push/push-signature";

export type PushEvent = {
  source: PushSource;
  deliveryId: string;
  // "push", or the host's event name for anything else (a ping, a tag push hook…)
  event: string;
  ref: string | null;
  after: string | null;
  defaultBranch: string | null;
};

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const ZERO_SHA = /^0+$/;
const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const payloadSchema = z
  .object({
    ref: z.string().max(255).optional(),
    after: z.string().max(64).optional(),
    checkout_sha: z.string().max(64).nullish(),
    deliveryId: z.string().max(128).optional(),
    repository: z.object({ default_branch: z.string().max(255).nullish() }).passthrough().nullish(),
    project: z.object({ default_branch: z.string().max(255).nullish() }).passthrough().nullish(),
  })
  .passthrough();

export type PushParseResult = { ok: true; event: PushEvent } | { ok: false; message: string };

const eventOf = (source: PushSource, headers: Headers): string => {
  if (source === "github") return headers.get("x-github-event") ?? "";
  if (source === "gitea") return headers.get("x-gitea-event") ?? headers.get("x-github-event") ?? "";
  if (source === "gitlab") return (headers.get("x-gitlab-event") ?? "") === "Push Hook" ? "push" : headers.get("x-gitlab-event") ?? "";
  return "push";
};

const deliveryIdOf = (source: PushSource, headers: Headers, body: { deliveryId?: string }): string | null => {
  if (source === "github") return headers.get("x-github-delivery");
  if (source === "gitea") return headers.get("x-gitea-delivery") ?? headers.get("x-github-delivery");
  if (source === "gitlab") return headers.get("x-gitlab-event-uuid") ?? headers.get("idempotency-key");
  return body.deliveryId ?? headers.get("x-layerboard-delivery");
};

/** Parses a delivery whose signature was already verified. */
export const parsePushEvent = (source: PushSource, headers: Headers, rawBody: Buffer): PushParseResult => {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return { ok: false, message: "body: expected a JSON object" };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, message: `body: ${parsed.error.issues[0]?.path.join(".") || "payload"}: ${parsed.error.issues[0]?.message}` };
  const body = parsed.data;
  const deliveryId = deliveryIdOf(source, headers, body)?.trim() ?? "";
  if (!DELIVERY_ID.test(deliveryId))
    return { ok: false, message: source === "generic" ? "body: deliveryId: 1 to 128 characters of A-Z a-z 0-9 . _ : -" : "the delivery id header is missing or malformed" };
  const after = (body.after ?? "").toLowerCase();
  return {
    ok: true,
    event: {
      source,
      deliveryId,
      event: eventOf(source, headers),
      ref: body.ref ?? null,
      after: after || null,
      defaultBranch: body.repository?.default_branch ?? body.project?.default_branch ?? null,
    },
  };
};

export type PushDecision = { build: true; sha: string; branch: string } | { build: false; reason: string };

/** Whether a push is one to build: a push event, to the watched branch, of a commit (not a deletion). */
export const decidePush = (event: PushEvent, watchedBranch: string | null): PushDecision => {
  if (event.event !== "push") return { build: false, reason: `${event.event || "unknown"} event: only pushes are built` };
  const branch = watchedBranch ?? event.defaultBranch;
  if (!branch) return { build: false, reason: "no branch to watch: set the hook's branch or the project's git ref" };
  if (!event.ref) return { build: false, reason: "the push names no ref" };
  if (event.ref !== `refs/heads/${branch}` && event.ref !== branch) return { build: false, reason: `push to ${event.ref}, not to branch ${branch}` };
  if (!event.after || ZERO_SHA.test(event.after)) return { build: false, reason: `branch ${branch} was deleted` };
  if (!SHA.test(event.after)) return { build: false, reason: "after: not a full commit SHA" };
  return { build: true, sha: event.after, branch };
};
