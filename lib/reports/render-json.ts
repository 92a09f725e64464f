// A report as JSON: the complete Report with its schemaVersion (documented in
// docs/report-json.md), and the reverse check for stored snapshots.
import { REPORT_SCHEMA_VERSION, type Report } from "@/lib/reports/build-report";

export const renderReportJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;

// Snapshots are written by this code, but may predate a schema change: refuse what we
// cannot read rather than render it wrongly.
export const readReportSnapshot = (value: unknown): Report => {
  const candidate = value as Partial<Report> | null;
  if (!candidate || typeof candidate !== "object" || candidate.schemaVersion !== REPORT_SCHEMA_VERSION || !Array.isArray(candidate.rows))
    throw new Error(`unsupported report snapshot (schemaVersion ${String(candidate?.schemaVersion)})`);
  return candidate as Report;
};
