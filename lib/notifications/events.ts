// Pure: the notification events a finished build raises, and the shapes webhooks send
// (docs/notifications.md is the written-down schema of the generic one).
import { evaluateBudget } from "@/lib/builds/budget";

export const NOTIFICATION_EVENTS = ["build.failed", "build.does_not_run", "budget.exceeded", "size.regression"] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
/** What the "send test" button sends; never subscribed to, always allowed. */
export const TEST_EVENT = "test";

export const EVENT_LABELS: Record<NotificationEvent, string> = {
  "build.failed": "Build failed",
  "build.does_not_run": "Image does not run (smoke run failed)",
  "budget.exceeded": "Size budget exceeded",
  "size.regression": "Size regression vs the previous successful build",
};

export type FinishedBuildFacts = {
  status: string;
  smokeRuns: boolean | null;
  size: number | null;
  previousSize: number | null;
  sizeBudgetBytes: number | null;
  /** The variant's threshold; null: the default (LAYERBOARD_NOTIFY_REGRESSION_PCT). */
  regressionThresholdPct: number | null;
};

export type RaisedEvent = { event: NotificationEvent; message: string };

/** When the notifications are queued: at the build's final status, or once its compressed size is recorded. */
export type NotificationMoment = "finished" | "compressed";

/**
 * The size the budget and the regression threshold judge (issue 17: the variant's basis), and
 * whether this is the moment to judge it. A compressed basis is judged when the compressed size
 * is known: at the final status when a push recorded it, else when the estimate comes in (and
 * only then, so an event is raised once). null: no size events now.
 */
export const sizeForBudget = (
  basis: string,
  moment: NotificationMoment,
  sizes: { size: number | null; compressedSize: number | null; previousSize: number | null; previousCompressedSize: number | null },
): { size: number | null; previousSize: number | null; label: string } | null => {
  if (basis !== "COMPRESSED") return moment === "finished" ? { size: sizes.size, previousSize: sizes.previousSize, label: "" } : null;
  if (sizes.compressedSize === null) return null;
  return { size: sizes.compressedSize, previousSize: sizes.previousCompressedSize, label: " compressed" };
};

const formatMb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** `sizeLabel` (" compressed") names the size judged; `statusEvents: false` raises the size events only. */
export const detectBuildEvents = (facts: FinishedBuildFacts, defaultRegressionPct: number, options: { sizeLabel?: string; statusEvents?: boolean } = {}): RaisedEvent[] => {
  const statusEvents = options.statusEvents ?? true;
  const sizeLabel = options.sizeLabel ?? "";
  if (facts.status === "FAILED") return statusEvents ? [{ event: "build.failed", message: "the build failed" }] : [];
  if (facts.status !== "SUCCEEDED") return [];
  const events: RaisedEvent[] = [];
  if (statusEvents && facts.smokeRuns === false) events.push({ event: "build.does_not_run", message: "the image was built but does not run (smoke run failed)" });
  const threshold = facts.regressionThresholdPct ?? defaultRegressionPct;
  const verdict = evaluateBudget({ size: facts.size, sizeBudgetBytes: facts.sizeBudgetBytes, regressionThresholdPct: threshold, previousSize: facts.previousSize });
  if (verdict.overBudget)
    events.push({ event: "budget.exceeded", message: `${formatMb(facts.size!)}${sizeLabel} is over the budget of ${formatMb(facts.sizeBudgetBytes!)}` });
  if (verdict.regression)
    events.push({
      event: "size.regression",
      message: `grew${sizeLabel} ${(verdict.deltaVsPreviousPct! * 100).toFixed(1)} % vs the previous successful build (${formatMb(facts.previousSize!)} → ${formatMb(facts.size!)}, threshold ${threshold} %)`,
    });
  return events;
};

export type NotificationPayload = {
  schema: "layerboard.notification/v1";
  event: NotificationEvent | typeof TEST_EVENT;
  deliveryId: string;
  occurredAt: string;
  message: string;
  project: { id: string; slug: string; name: string };
  variant: { id: string; name: string } | null;
  build: {
    id: string;
    path: string;
    status: string;
    errorCode: string | null;
    error: string | null;
    sizeBytes: number | null;
    previousSizeBytes: number | null;
    sizeBudgetBytes: number | null;
    /** Issue 17: the compressed total (null: not known yet) and which size the budget judges. */
    compressedSizeBytes?: number | null;
    budgetBasis?: "DISK" | "COMPRESSED";
    smokeRuns: boolean | null;
  } | null;
};

// Slack's mrkdwn treats & < > as markup: escaped, so build errors never become links or mentions.
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export const WEBHOOK_FORMATS = ["slack", "generic"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The request body: Slack-compatible `{ text, blocks }`, or the generic payload as is. */
export const renderWebhookBody = (format: WebhookFormat, payload: NotificationPayload): string => {
  if (format === "generic") return JSON.stringify(payload);
  const subject = payload.variant ? `${payload.project.name} / ${payload.variant.name}` : payload.project.name;
  const text = `[${payload.event}] ${subject}: ${payload.message}`;
  const details = payload.build
    ? [`build \`${payload.build.id}\` (${payload.build.status.toLowerCase()})`, payload.build.error ? `error: ${payload.build.error.slice(0, 500)}` : null]
        .filter(Boolean)
        .join("\n")
    : "";
  return JSON.stringify({
    text: slackEscape(text),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(payload.event)}* · ${slackEscape(subject)}\n${slackEscape(payload.message)}` } },
      ...(details ? [{ type: "context", elements: [{ type: "mrkdwn", text: slackEscape(details) }] }] : []),
    ],
  });
};
