// Acceptance (issue 13): the Markdown report of the real example comparison (examples/pyapp,
// every variant built by the worker on the engine, smoke-run and analysed) names the smallest
// variant *that runs* — multi-stage or the builder pattern, never the smaller --copies image
// that cannot start — and gives --copies' real reason: the missing libexpat.so.1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedExampleProject } from "@/lib/builds/seed";
import { EXAMPLE_PROJECT_SLUG } from "@/lib/data/seed";
import { startComparison } from "@/lib/builds/start-comparison";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { stopQueue } from "@/lib/builds/queue";
import { getComparisonReport } from "@/lib/data/reports";
import { renderReportMarkdown } from "@/lib/reports/render-markdown";
import { renderReportCsv } from "@/lib/reports/render-csv";
import type { Report } from "@/lib/reports/build-report";
import { removeImages, waitForBuild } from "../support/pipeline";

let worker: WorkerHandle;
let report: Report;
let markdown: string;
const images: Array<string | null> = [];

beforeAll(async () => {
  await seedExampleProject();
  worker = await startWorker({ concurrency: 1 });
  const comparison = await startComparison(EXAMPLE_PROJECT_SLUG);
  for (const build of comparison.builds) {
    const done = await waitForBuild(build.id, undefined, 900_000);
    images.push(done.imageTag, done.imageTag && `${done.imageTag}-build`);
  }
  report = await getComparisonReport(comparison.id);
  markdown = renderReportMarkdown(report);
}, 3_600_000);

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
  await stopQueue();
  await removeImages(images);
});

const row = (variant: string) => report.rows.find((r) => r.variant === variant)!;

describe("the example comparison's report", () => {
  it("builds every variant; --copies is the smallest image but does not run", () => {
    expect(report.rows.map((r) => [r.variant, r.status])).toEqual(expect.arrayContaining([["venv --copies", "SUCCEEDED"], ["multi-stage", "SUCCEEDED"]]));
    expect(row("venv --copies").runs).toBe(false);
    const built = report.rows.filter((r) => r.size !== null);
    expect(Math.min(...built.map((r) => r.size!))).toBe(row("venv --copies").size);
  });

  it("names multi-stage or the builder pattern as the smallest that runs, in the data and the Markdown", () => {
    const winner = report.smallestThatRuns!;
    expect(["multi-stage", "builder pattern"]).toContain(winner.variant);
    expect(row(winner.variant).runs).toBe(true);
    expect(row("venv --copies").isSmallest).toBe(false);
    expect(report.rows.filter((r) => r.isSmallest).map((r) => r.variant)).toEqual([winner.variant]);
    expect(markdown).toContain(`**Smallest that runs:** ⭐ ${winner.variant} (`);
    expect(markdown).toMatch(/smaller but not running: venv --copies \d/);
    const copiesLine = markdown.split("\n").find((l) => l.startsWith("| **venv --copies**"))!;
    expect(copiesLine).not.toContain("⭐");
    expect(markdown.split("\n").find((l) => l.startsWith(`| **${winner.variant}**`))).toContain("⭐ smallest that runs");
  });

  it("shows the loader's libexpat.so.1 error as the reason --copies does not run", () => {
    expect(row("venv --copies").smokeError).toMatch(/^exit code 127: .*libexpat\.so\.1: cannot open shared object file/);
    const reason = markdown.split("\n").find((l) => l.startsWith("- venv --copies: `"))!;
    expect(reason).toContain("libexpat.so.1");
    expect(renderReportCsv(report)).toContain("libexpat.so.1");
  });

  it("has each image's layers against the single-stage baseline", () => {
    expect(report.baseline?.variant).toBe("single-stage");
    const multi = report.layerDiffs.find((d) => d.variant === "multi-stage")!;
    expect(multi.baselineVariant).toBe("single-stage");
    expect(multi.deltaBytes).toBe(row("multi-stage").size! - row("single-stage").size!);
    // The build tools' layer of the single-stage image is gone from multi-stage.
    expect(multi.changes.some((c) => c.kind === "removed" && /build-essential|gcc|python3-dev/.test(c.instruction))).toBe(true);
    expect(markdown).toContain("<summary>Layers vs baseline (single-stage)</summary>");
  });
});
