import { describe, expect, it } from "vitest";
import { detectBuildEvents, renderWebhookBody, sizeForBudget, type NotificationPayload } from "./events";
import { signWebhookBody, verifyWebhookSignature } from "./signature";
import { webhookUrlHint, webhookUrlSchema } from "./webhook-url";

const facts = { status: "SUCCEEDED", smokeRuns: true, size: 110e6, previousSize: 100e6, sizeBudgetBytes: null, regressionThresholdPct: null };

describe("detectBuildEvents", () => {
  it("raises build.failed for a failed build and nothing else", () => {
    expect(detectBuildEvents({ ...facts, status: "FAILED", smokeRuns: null }, 10).map((e) => e.event)).toEqual(["build.failed"]);
  });
  it("raises nothing for a cancelled build or a healthy one", () => {
    expect(detectBuildEvents({ ...facts, status: "CANCELLED" }, 10)).toEqual([]);
    expect(detectBuildEvents({ ...facts, size: 105e6 }, 10)).toEqual([]);
  });
  it("raises does-not-run, budget and regression (the variant's threshold first, else the default)", () => {
    const events = detectBuildEvents({ ...facts, smokeRuns: false, sizeBudgetBytes: 100e6 }, 5);
    expect(events.map((e) => e.event)).toEqual(["build.does_not_run", "budget.exceeded", "size.regression"]);
    expect(events[2].message).toContain("10.0 %");
    expect(detectBuildEvents({ ...facts, regressionThresholdPct: 20 }, 5)).toEqual([]);
  });
});

describe("sizeForBudget (issue 17: which size a budget judges, and when)", () => {
  const sizes = { size: 300e6, compressedSize: 90e6, previousSize: 280e6, previousCompressedSize: 80e6 };
  it("judges an on-disk budget at the end of the build only", () => {
    expect(sizeForBudget("DISK", "finished", sizes)).toEqual({ size: 300e6, previousSize: 280e6, label: "" });
    expect(sizeForBudget("DISK", "compressed", sizes)).toBeNull();
  });
  it("judges a compressed budget once its size is known, on the compressed sizes", () => {
    expect(sizeForBudget("COMPRESSED", "finished", sizes)).toEqual({ size: 90e6, previousSize: 80e6, label: " compressed" });
    expect(sizeForBudget("COMPRESSED", "finished", { ...sizes, compressedSize: null })).toBeNull();
    expect(sizeForBudget("COMPRESSED", "compressed", sizes)).toEqual({ size: 90e6, previousSize: 80e6, label: " compressed" });
  });
  it("raises only the size events when the estimate arrives, named as compressed", () => {
    const judged = sizeForBudget("COMPRESSED", "compressed", sizes)!;
    const events = detectBuildEvents({ ...facts, smokeRuns: false, size: judged.size, previousSize: judged.previousSize, sizeBudgetBytes: 85e6 }, 10, { sizeLabel: judged.label, statusEvents: false });
    expect(events.map((e) => e.event)).toEqual(["budget.exceeded", "size.regression"]);
    expect(events[0].message).toBe("90.0 MB compressed is over the budget of 85.0 MB");
    expect(events[1].message).toContain("grew compressed 12.5 %");
  });
});

describe("webhook bodies, signatures and URLs", () => {
  const payload: NotificationPayload = {
    schema: "layerboard.notification/v1",
    event: "build.failed",
    deliveryId: "d1",
    occurredAt: "2026-12-02T00:00:00.000Z",
    message: "the build failed",
    project: { id: "p", slug: "demo", name: "Demo <x>" },
    variant: { id: "v", name: "single" },
    build: { id: "b", path: "/builds/b", status: "FAILED", errorCode: "BUILD_FAILED", error: "RUN <@here> exit 1", sizeBytes: null, previousSizeBytes: null, sizeBudgetBytes: null, smokeRuns: null },
  };
  it("renders Slack JSON with text and blocks, escaping markup", () => {
    const body = JSON.parse(renderWebhookBody("slack", payload));
    expect(body.text).toBe("[build.failed] Demo &lt;x&gt; / single: the build failed");
    expect(JSON.stringify(body.blocks)).toContain("&lt;@here&gt;");
    expect(JSON.parse(renderWebhookBody("generic", payload))).toEqual(payload);
  });
  it("signs and verifies, and refuses a changed body", () => {
    const signature = signWebhookBody("s3cret", "1700000000", "{}");
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("s3cret", "1700000000", "{}", signature)).toBe(true);
    expect(verifyWebhookSignature("s3cret", "1700000000", "{ }", signature)).toBe(false);
  });
  it("accepts http(s) URLs only and hints without the path", () => {
    expect(webhookUrlSchema.safeParse("https://hooks.slack.com/services/T/B/secret").success).toBe(true);
    expect(webhookUrlSchema.safeParse("file:///etc/passwd").success).toBe(false);
    expect(webhookUrlSchema.safeParse("not a url").success).toBe(false);
    expect(webhookUrlHint("https://user:pw@hooks.slack.com/services/T/B/secret?x=1")).toBe("https://hooks.slack.com/…");
  });
});
