import { describe, expect, it } from "vitest";
import { REPORT_SCHEMA_VERSION } from "@/lib/reports/build-report";
import { assembleReport } from "@/lib/reports/build-report";
import { renderReportJson } from "@/lib/reports/render-json";
import { makeBuild } from "./__fixtures__/report";

const build = makeBuild({ id: "b1", variantName: "slim", strategy: "MULTI_STAGE", totalSize: 300_000_000, compressedSize: 110_000_000, compressedSource: "MANIFEST" });

const reportWith = (budgetBasis: "DISK" | "COMPRESSED") =>
  assembleReport({
    kind: "build",
    id: "b1",
    generatedAt: "2026-12-02T00:00:00.000Z",
    project: { id: "p", slug: "p", name: "p" },
    contextRevision: null,
    builds: [
      {
        build,
        budget: { sizeBudgetBytes: 200_000_000, regressionThresholdPct: 5, budgetBasis },
        previous: { buildId: "b0", size: 299_000_000, compressedSize: 100_000_000 },
        findings: [],
      },
    ],
    baseline: null,
  });

describe("budgets on the compressed size (issue 17)", () => {
  it("judges the compressed size and its growth when the basis says so", () => {
    const row = reportWith("COMPRESSED").rows[0];
    expect(row.budget.basis).toBe("COMPRESSED");
    expect(row.budget.overBudget).toBe(false);
    expect(row.budget.regression).toBe(true);
    expect(row.budget.messages[0]).toMatch(/grew \+10\.0 %/);
    expect(row.deltaVsPreviousCompressed).toEqual({ bytes: 10_000_000, percent: 10 });
  });

  it("judges the on-disk size by default", () => {
    const row = reportWith("DISK").rows[0];
    expect(row.budget.overBudget).toBe(true);
    expect(row.budget.regression).toBe(false);
    expect(row.budget.messages[0]).toMatch(/over the budget/);
  });

  it("puts both sizes in the JSON report (schema 3)", () => {
    const json = JSON.parse(renderReportJson(reportWith("DISK"))) as { schemaVersion: number; rows: Array<Record<string, unknown>> };
    expect(json.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(json.rows[0]).toMatchObject({ size: 300_000_000, compressedSize: 110_000_000, compressedSource: "MANIFEST", previousCompressedSize: 100_000_000 });
  });
});
