// A report as JSON: the complete Report with its schemaVersion (documented in
// docs/report-json.md), and the reverse check for stored snapshots.
import { REPORT_SCHEMA_VERSION, type Report } from "@/lib/reports/build-report";
import { EMPTY_REPORT_CONTENT } from "@/lib/reports/report-content";

export const renderReportJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;

// Snapshots are written by this code, but may predate a schema change: refuse what we
// cannot read rather than render it wrongly. Version 1 differs from 2 only by the missing
// `content`, so a share link frozen before it still opens (with no contents).
export const readReportSnapshot = (value: unknown): Report => {
  const candidate = value as (Omit<Partial<Report>, "schemaVersion"> & { schemaVersion?: unknown }) | null;
  const version = candidate?.schemaVersion;
  if (!candidate || typeof candidate !== "object" || (version !== REPORT_SCHEMA_VERSION && version !== 1) || !Array.isArray(candidate.rows))
    throw new Error(`unsupported report snapshot (schemaVersion ${String(candidate?.schemaVersion)})`);
  if (version === 1) return { ...candidate, schemaVersion: REPORT_SCHEMA_VERSION, content: EMPTY_REPORT_CONTENT } as Report;
  return candidate as Report;
};
