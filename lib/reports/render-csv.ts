// A report as CSV (RFC 4180, CRLF line ends): one row per build, one row per layer, or one
// row per layer that differs from the baseline's (rows=layer-diff).
// Cells that a spreadsheet would run as a formula are neutralised.
import type { Report } from "@/lib/reports/build-report";

export type CsvRows = "builds" | "layers" | "layer-diff";

type Cell = string | number | boolean | null | undefined;

// OWASP "CSV injection": text starting with = + - @ (or tab / CR) is a formula to Excel,
// LibreOffice and Sheets. A leading apostrophe makes it text. Numbers are left alone so
// negative deltas stay numbers.
const FORMULA_START = /^[=+\-@\t\r]/;

export const toCsvCell = (value: Cell): string => {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
};

const toCsv = (header: string[], rows: Cell[][]) => [header, ...rows].map((row) => row.map(toCsvCell).join(",")).join("\r\n") + "\r\n";

const round = (value: number | null, digits = 2) => (value === null ? null : Number(value.toFixed(digits)));

const BUILD_COLUMNS = [
  "report_kind",
  "report_id",
  "project",
  "variant",
  "strategy",
  "build_id",
  "status",
  "is_baseline",
  "size_bytes",
  "base_size_bytes",
  "own_size_bytes",
  "delta_vs_baseline_bytes",
  "delta_vs_baseline_pct",
  "previous_build_id",
  "previous_size_bytes",
  "delta_vs_previous_bytes",
  "delta_vs_previous_pct",
  "runs",
  "smoke_error",
  "layer_count",
  "duration_ms",
  "cached_steps",
  "steps_total",
  "size_budget_bytes",
  "regression_threshold_pct",
  "budget_passed",
  "budget_messages",
  "error",
  "context_revision",
  "image_id",
  "queued_at",
  "finished_at",
  // schema 3: the smallest image that runs, and the layers vs the baseline
  "is_smallest_that_runs",
  "layers_added_vs_baseline",
  "layers_removed_vs_baseline",
  "layers_resized_vs_baseline",
  "layer_bytes_vs_baseline",
  // Issue 17, appended so existing column positions stay.
  "compressed_size_bytes",
  "compressed_source",
  "previous_compressed_size_bytes",
  "budget_basis",
];

const LAYER_DIFF_COLUMNS = ["report_kind", "report_id", "project", "variant", "build_id", "baseline_variant", "baseline_build_id", "change", "instruction", "baseline_size_bytes", "size_bytes", "delta_bytes"];

const LAYER_COLUMNS = ["report_kind", "report_id", "project", "variant", "build_id", "position", "instruction", "size_bytes", "is_from_base", "share_of_image_pct"];

export const renderReportCsv = (report: Report, rows: CsvRows = "builds"): string => {
  const layerDiffs = report.layerDiffs ?? [];
  if (rows === "layer-diff")
    return toCsv(
      LAYER_DIFF_COLUMNS,
      layerDiffs.flatMap((d) =>
        d.changes.map((c) => [report.kind, report.id, report.project.name, d.variant, d.buildId, d.baselineVariant, d.baselineBuildId, c.kind, c.instruction, c.baselineSize, c.size, c.deltaBytes]),
      ),
    );
  const diffOf = new Map(layerDiffs.map((d) => [d.buildId, d]));
  if (rows === "layers")
    return toCsv(
      LAYER_COLUMNS,
      report.layers.map((layer) => [
        report.kind,
        report.id,
        report.project.name,
        layer.variant,
        layer.buildId,
        layer.position,
        layer.instruction,
        layer.size,
        layer.isFromBase,
        round(layer.percentOfImage),
      ]),
    );
  return toCsv(
    BUILD_COLUMNS,
    report.rows.map((row) => [
      report.kind,
      report.id,
      report.project.name,
      row.variant,
      row.strategy,
      row.buildId,
      row.status,
      row.isBaseline,
      row.size,
      row.baseSize,
      row.ownSize,
      row.deltaVsBaseline.bytes,
      round(row.deltaVsBaseline.percent),
      row.previousBuildId,
      row.previousSize,
      row.deltaVsPrevious.bytes,
      round(row.deltaVsPrevious.percent),
      row.runs,
      row.smokeError,
      row.layerCount,
      row.durationMs,
      row.cachedSteps,
      row.stepsTotal,
      row.budget.sizeBudgetBytes,
      row.budget.regressionThresholdPct,
      row.budget.evaluated ? row.budget.passed : null,
      row.budget.messages.join("; "),
      row.error,
      row.contextRevision,
      row.imageId,
      row.queuedAt,
      row.finishedAt,
      row.isSmallest,
      diffOf.get(row.buildId)?.added,
      diffOf.get(row.buildId)?.removed,
      diffOf.has(row.buildId) ? diffOf.get(row.buildId)!.grown + diffOf.get(row.buildId)!.shrunk : null,
      diffOf.get(row.buildId)?.deltaBytes,
      row.compressedSize,
      row.compressedSource,
      row.previousCompressedSize,
      row.budget.basis,
    ]),
  );
};
