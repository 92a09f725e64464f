// A report as JSON: the complete Report with its schemaVersion (documented in
// docs/report-json.md), and the reverse check for stored snapshots.
import { REPORT_SCHEMA_VERSION, type Report } from "@/lib/reports/build-report";
import { EMPTY_REPORT_CONTENT } from "@/lib/reports/report-content";

export const renderReportJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;

// Snapshots are written by this code, but may predate a schema change: refuse what we
// cannot read rather than render it wrongly. Version 1 lacks `content`; versions 1 and 2 lack
// `layerDiffs` and marked the smallest image even when it did not run, so the mark is made
// again from their rows (an old share link stops praising a broken image too).
const upgradeSmallest = (report: Report): Report => {
  const built = report.rows.filter((row) => row.status === "SUCCEEDED" && row.size !== null);
  const running = built.filter((row) => row.runs === true);
  const smallest =
    report.kind === "comparison" && built.length > 1
      ? running.reduce<(typeof running)[number] | null>((best, row) => (!best || row.size! < best.size! ? row : best), null)
      : null;
  return {
    ...report,
    rows: report.rows.map((row) => ({ ...row, isSmallest: row.buildId === smallest?.buildId })),
    smallestThatRuns: smallest ? { buildId: smallest.buildId, variant: smallest.variant, size: smallest.size! } : null,
  };
};

export const readReportSnapshot = (value: unknown): Report => {
  const candidate = value as (Omit<Partial<Report>, "schemaVersion"> & { schemaVersion?: unknown }) | null;
  const version = candidate?.schemaVersion;
  if (!candidate || typeof candidate !== "object" || (version !== REPORT_SCHEMA_VERSION && version !== 1 && version !== 2 && version !== 3) || !Array.isArray(candidate.rows))
    throw new Error(`unsupported report snapshot (schemaVersion ${String(candidate?.schemaVersion)})`);
  if (version === REPORT_SCHEMA_VERSION) return candidate as Report;
  // 3 → 4 added only the compressed sizes: a version-3 snapshot has none to show.
  if (version === 3) return { ...candidate, schemaVersion: REPORT_SCHEMA_VERSION } as Report;
  return upgradeSmallest({
    ...candidate,
    schemaVersion: REPORT_SCHEMA_VERSION,
    content: version === 1 ? EMPTY_REPORT_CONTENT : candidate.content,
    layerDiffs: [],
  } as Report);
};
