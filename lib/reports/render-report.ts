// Picks the renderer for a requested format and says how to serve the result
// (content type and download file name). Shared by the API exports and share links.
import type { Report } from "@/lib/reports/build-report";
import { renderReportCsv, type CsvRows } from "@/lib/reports/render-csv";
import { renderReportJson } from "@/lib/reports/render-json";
import { renderReportMarkdown, type RenderMarkdownOptions } from "@/lib/reports/render-markdown";
import { createReportFilename } from "@/lib/reports/report-paths";

export type ReportFormat = "md" | "json" | "csv";

export type RenderedReport = { body: string; contentType: string; filename: string };

export const renderReport = (report: Report, format: ReportFormat, options: RenderMarkdownOptions & { rows?: CsvRows } = {}): RenderedReport => {
  if (format === "json") return { body: renderReportJson(report), contentType: "application/json; charset=utf-8", filename: createReportFilename(report, "json") };
  if (format === "csv") {
    const rows = options.rows ?? "builds";
    return {
      body: renderReportCsv(report, rows),
      contentType: "text/csv; charset=utf-8; header=present",
      filename: createReportFilename(report, "csv", rows === "layers" ? "-layers" : ""),
    };
  }
  return { body: renderReportMarkdown(report, options), contentType: "text/markdown; charset=utf-8", filename: createReportFilename(report, "md") };
};

// `attachment` only when asked (?download=1): a CLI or browser tab reading the Markdown
// should just see it.
export const toReportResponse = (rendered: RenderedReport, { download = false }: { download?: boolean } = {}) =>
  new Response(rendered.body, {
    headers: {
      "content-type": rendered.contentType,
      "content-disposition": `${download ? "attachment" : "inline"}; filename="${rendered.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
