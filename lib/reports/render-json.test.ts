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
      "done",
      "rows",
      "layers",
      "topLayers",
      "advice",
      "budget",
      "dashboardPath",
      "content",
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
    const { content: _content, ...v1 } = parsed;
    expect(readReportSnapshot({ ...v1, schemaVersion: 1 })).toEqual({ ...report, content: { builds: [], findings: [], differences: [] } });
    expect(() => readReportSnapshot(null)).toThrow(/unsupported/);
  });
});
