// Where a report's source lives in the dashboard, and the file names of its downloads.
import type { ReportKind } from "@/lib/reports/build-report";

export const getReportPath = (kind: ReportKind, id: string) => (kind === "build" ? `/builds/${id}` : `/compare?comparison=${id}`);

export const getSharePath = (token: string) => `/r/${token}`;

// ASCII only: the name ends up in a Content-Disposition header.
export const createReportFilename = (report: { kind: ReportKind; id: string; project: { slug: string } }, extension: string, suffix = "") =>
  `layerboard-${report.project.slug.replace(/[^a-z0-9-]/gi, "") || "project"}-${report.kind}-${report.id.replace(/[^a-z0-9_-]/gi, "")}${suffix}.${extension}`;
