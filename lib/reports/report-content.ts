// The image-contents part of a report (schemaVersion 2, docs/report-json.md): each build's
// analysis state and totals, its static run findings, and the top content differences of
// each build against the report's baseline. Pure: lib/data/reports.ts gathers the inputs.
import type { ContentDiff } from "@/lib/content/diff";
import type { ContentFinding, PackageRecord, WasteReport } from "@/lib/content/types";

export const TOP_CONTENT_PACKAGES = 5;
export const TOP_CONTENT_DIRECTORIES = 5;
export const TOP_CONTENT_PACKAGE_CHANGES = 8;

/** What a report needs of one build's content analysis (lib/data/content.ts ContentAnalysisDto). */
export type ReportContentInput = {
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
  error: string | null;
  result: { files: number; fileBytes: number; packages: PackageRecord[]; findings: ContentFinding[]; waste: WasteReport } | null;
} | null;

export type ReportContentBuild = {
  buildId: string;
  variant: string;
  /** "NONE": no analysis was queued (a build that did not succeed, or one from before issue 11). */
  status: "NONE" | "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
  error: string | null;
  files: number | null;
  fileBytes: number | null;
  packageCount: number | null;
  ownReclaimableBytes: number | null;
  baseReclaimableBytes: number | null;
  duplicateBytes: number | null;
  topPackages: { ecosystem: string; name: string; version: string; bytes: number }[];
};

export type ReportContentFinding = {
  buildId: string;
  variant: string;
  kind: ContentFinding["kind"];
  severity: ContentFinding["severity"];
  title: string;
  path: string;
  missing: string;
  layer: number | null;
  providedBy: string | null;
};

export type ReportContentDifference = {
  buildId: string;
  variant: string;
  baselineBuildId: string;
  /** File bytes of this build minus the baseline's. */
  deltaBytes: number;
  addedFiles: number;
  addedBytes: number;
  removedFiles: number;
  removedBytes: number;
  topDirectories: { directory: string; deltaBytes: number; addedFiles: number; removedFiles: number }[];
  packages: { ecosystem: string; name: string; change: "added" | "removed" | "resized" | "version"; bytesBaseline: number; bytes: number; deltaBytes: number }[];
};

export type ReportContent = {
  builds: ReportContentBuild[];
  findings: ReportContentFinding[];
  differences: ReportContentDifference[];
};

export const EMPTY_REPORT_CONTENT: ReportContent = { builds: [], findings: [], differences: [] };

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

export const toReportContentBuild = (buildId: string, variant: string, input: ReportContentInput): ReportContentBuild => {
  const result = input?.status === "SUCCEEDED" ? input.result : null;
  return {
    buildId,
    variant,
    status: input?.status ?? "NONE",
    error: input?.error ?? null,
    files: result?.files ?? null,
    fileBytes: result?.fileBytes ?? null,
    packageCount: result ? result.packages.length : null,
    ownReclaimableBytes: result?.waste.ownReclaimableBytes ?? null,
    baseReclaimableBytes: result?.waste.baseReclaimableBytes ?? null,
    duplicateBytes: result?.waste.duplicateBytes ?? null,
    topPackages: (result?.packages ?? [])
      .slice()
      .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
      .slice(0, TOP_CONTENT_PACKAGES)
      .map(({ ecosystem, name, version, bytes }) => ({ ecosystem, name, version, bytes })),
  };
};

export const toReportContentFindings = (buildId: string, variant: string, input: ReportContentInput): ReportContentFinding[] =>
  (input?.status === "SUCCEEDED" ? (input.result?.findings ?? []) : [])
    .map((f) => ({
      buildId,
      variant,
      kind: f.kind,
      severity: f.severity,
      title: f.title,
      path: f.evidence.path,
      missing: f.evidence.missing,
      layer: f.evidence.layer,
      providedBy: f.evidence.providedBy ?? null,
    }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);

export const toReportContentDifference = (buildId: string, variant: string, baselineBuildId: string, diff: ContentDiff): ReportContentDifference => ({
  buildId,
  variant,
  baselineBuildId,
  deltaBytes: diff.totals.delta,
  addedFiles: diff.totals.added,
  addedBytes: diff.totals.addedBytes,
  removedFiles: diff.totals.removed,
  removedBytes: diff.totals.removedBytes,
  topDirectories: diff.byDirectory
    .slice(0, TOP_CONTENT_DIRECTORIES)
    .map((g) => ({ directory: g.key, deltaBytes: g.delta, addedFiles: g.added, removedFiles: g.removed })),
  packages: diff.packages
    .slice(0, TOP_CONTENT_PACKAGE_CHANGES)
    .map((p) => ({ ecosystem: p.ecosystem, name: p.name, change: p.change, bytesBaseline: p.bytesA, bytes: p.bytesB, deltaBytes: p.delta })),
});
