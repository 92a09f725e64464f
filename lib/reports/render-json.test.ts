import { describe, expect, it } from "vitest";
import { createFixtureReport } from "./__fixtures__/report";
import { readReportSnapshot, renderReportJson } from "./render-json";
import { REPORT_SCHEMA_VERSION } from "./build-report";

describe("renderReportJson", () => {
  const report = createFixtureReport();
  const parsed = JSON.parse(renderReportJson(report));

  it("is the complete report with its schema version", () => {
    expect(parsed.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(parsed).toEqual(report);
    expect(Object.keys(parsed)).toEqual([
      "schemaVersion",
      "kind",
      "id",
      "title",
      "generatedAt",
      "project",
      "contextRevision",
      "baseline",
      "smallestThatRuns",
      "done",
      "rows",
      "layers",
      "topLayers",
      "advice",
      "budget",
      "dashboardPath",
      "content",
      "layerDiffs",
    ]);
  });

  it("gives sizes as exact byte numbers and percentages as percent", () => {
    const multi = parsed.rows.find((r: { variant: string }) => r.variant === "multi-stage");
    expect(multi.size).toBe(354_000_000);
    expect(multi.deltaVsPrevious.bytes).toBe(14_000_000);
    expect(multi.deltaVsPrevious.percent).toBeCloseTo(4.1176, 3);
    expect(multi.budget).toMatchObject({ sizeBudgetBytes: 300_000_000, regressionThresholdPct: 2, passed: false });
  });

  it("reads its own snapshots back and refuses other schema versions", () => {
    expect(readReportSnapshot(parsed)).toEqual(report);
    expect(() => readReportSnapshot({ ...parsed, schemaVersion: 99 })).toThrow(/unsupported report snapshot/);
    // A share link frozen before schema 2 still opens, with no image contents.
    const { content: _content, layerDiffs: _diffs, smallestThatRuns: _smallest, ...v1 } = parsed;
    expect(readReportSnapshot({ ...v1, schemaVersion: 1 })).toEqual({ ...report, content: { builds: [], findings: [], differences: [] }, layerDiffs: [] });
    // A schema-2 snapshot marked the smallest image even when it did not run: read back, the mark moves.
    const v2Rows = parsed.rows.map((r: { variant: string }) => ({ ...r, isSmallest: r.variant === "venv --copies" }));
    const upgraded = readReportSnapshot({ ...v1, content: parsed.content, rows: v2Rows, schemaVersion: 2 });
    expect(upgraded.rows.find((r) => r.isSmallest)?.variant).toBe("custom, quoted");
    expect(upgraded.smallestThatRuns?.variant).toBe("custom, quoted");
    expect(() => readReportSnapshot(null)).toThrow(/unsupported/);
  });
});
