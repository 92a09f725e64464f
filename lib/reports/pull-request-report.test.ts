import { describe, expect, it } from "vitest";
import { makeBuild } from "@/lib/reports/__fixtures__/report";
import { assemblePullRequestReport, type PullRequestVariantInput } from "@/lib/reports/pull-request-report";
import { renderPullRequestMarkdown } from "@/lib/reports/render-pull-request-markdown";
import type { LayerDto } from "@/lib/types";

const layer = (position: number, instruction: string, size: number, isFromBase = false): LayerDto => ({ image: "main", position, createdBy: instruction, instruction, size, isEmpty: false, isFromBase, layerDigest: null });
const BASE_LAYER = layer(0, "debian bookworm", 199_000_000, true);

// The sizes DESIGN.md measured: multi-stage 354 MB and runs; --copies 241 MB and does not start.
const multi = (id: string, extra = 0) =>
  makeBuild({ id, variantName: "multi-stage", strategy: "MULTI_STAGE", totalSize: 354_000_000 + extra, layers: [BASE_LAYER, layer(1, "COPY --from=builder /venv /venv", 155_000_000 + extra)] });
const variant = (name: string, base: PullRequestVariantInput["base"], head: PullRequestVariantInput["head"], budget: Partial<PullRequestVariantInput> = {}): PullRequestVariantInput => ({
  variantId: `v-${name}`,
  name,
  sizeBudgetBytes: null,
  regressionThresholdPct: null,
  base,
  head,
  ...budget,
});
const assemble = (variants: PullRequestVariantInput[]) =>
  assemblePullRequestReport({ project: { id: "p1", slug: "py", name: "Python app" }, base: { ref: "main", sha: "a".repeat(40) }, head: { ref: "pr-7", sha: "b".repeat(40) }, generatedAt: "2026-12-02T04:00:00.000Z", variants });

describe("pull-request report", () => {
  it("fails a head that grew past the regression threshold, and names the layer", () => {
    const report = assemble([variant("multi-stage", multi("b1"), multi("h1", 40_000_000), { regressionThresholdPct: 10 })]);
    expect(report.done && report.failed).toBe(true);
    expect(report.rows[0]).toMatchObject({ deltaBytes: 40_000_000, regression: true, overBudget: false, verdict: "fail", problems: ["grew 11.3 % (threshold 10 %)"] });
    expect(report.rows[0].layerChanges.map((c) => [c.kind, c.instruction, c.deltaBytes])).toEqual([["grown", "COPY --from=builder /venv /venv", 40_000_000]]);
    const markdown = renderPullRequestMarkdown(report);
    expect(markdown).toContain("| **multi-stage** | 354.0 MB | 394.0 MB | +40.0 MB (+11.3 %) | ✅ → ✅ | ❌ regression | ❌ fail |");
    expect(markdown).toContain("| multi-stage | grown | `COPY --from=builder /venv /venv` | 155.0 MB | 195.0 MB | +40.0 MB |");
  });

  it("fails an image that runs on base and not on head; a base that was already broken is a note, not a failure", () => {
    const broken = (id: string) =>
      makeBuild({ id, variantName: "venv-copies", strategy: "VENV_COPIES", totalSize: 241_000_000, runs: false, layers: [BASE_LAYER, layer(1, "COPY --from=builder /venv /venv", 42_000_000)] });
    const newly = assemble([variant("venv-copies", makeBuild({ ...broken("b2"), runs: true }), broken("h2"))]);
    expect(newly.rows[0]).toMatchObject({ newlyBroken: true, verdict: "fail", problems: ["runs on base, does not run on head"] });
    expect(renderPullRequestMarkdown(newly)).toContain("| ✅ → ❌ |");
    const old = assemble([variant("venv-copies", broken("b3"), broken("h3"))]);
    expect(old.failed).toBe(false);
    expect(old.rows[0]).toMatchObject({ verdict: "ok", problems: [], notes: ["does not run on head, nor on base"] });
  });

  it("fails a head that no longer builds; stays pending while a side is queued or missing", () => {
    const failed = makeBuild({ id: "h4", variantName: "multi-stage", strategy: "MULTI_STAGE", status: "FAILED", error: "exit code 3", totalSize: null, runs: null });
    expect(assemble([variant("multi-stage", multi("b4"), failed)]).rows[0].problems).toEqual(["does not build on head (failed: exit code 3)"]);
    const pending = assemble([variant("multi-stage", multi("b5"), makeBuild({ id: "h5", variantName: "multi-stage", strategy: "MULTI_STAGE", status: "RUNNING", totalSize: null }))]);
    expect([pending.done, pending.failed, pending.rows[0].verdict]).toEqual([false, false, "pending"]);
    expect(renderPullRequestMarkdown(pending)).toContain("> ⏳ Not finished: 1 of 1 variants still building.");
    expect(assemble([variant("multi-stage", null, multi("h6"))]).done).toBe(false);
  });

  it("escapes variant names in the Markdown (user text never becomes markup)", () => {
    const markdown = renderPullRequestMarkdown(assemble([variant("<img src=x> @team", multi("b7"), multi("h7"))]));
    expect(markdown).toContain("**\\<img src=x\\> \\@team**");
    expect(markdown).not.toMatch(/(^|[^\\])<img/);
  });
});
