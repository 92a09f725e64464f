// A report, read-only: verdict summary, size chart, the per-build table, the largest own
// layers and advice. Renders a frozen snapshot as well as a live report.
import { Card } from "@/components/ui/card";
import { hasReportContent, ReportContent } from "@/components/reports/report-content";
import { RunsBadge, StatusBadge } from "@/components/ui/status-badge";
import { Bytes } from "@/components/ui/bytes";
import { Table } from "@/components/ui/table";
import { ReportSizeChart } from "@/components/reports/report-size-chart";
import { formatDelta, formatDuration, shortId } from "@/lib/format/bytes";
import type { Report, ReportDelta, ReportRow } from "@/lib/reports/build-report";
import { computeReportVerdict } from "@/lib/reports/report-verdict";
import { ReportLayerDiffs } from "@/components/reports/report-layer-diffs";

const num = "align-top whitespace-nowrap text-right tabular-nums";

// Advice text marks commands with backticks; show those as code, everything as text.
const TextWithCode = ({ text }: { text: string }) => {
  const parts = text.split("`");
  if (parts.length % 2 === 0) return <>{text}</>;
  return <>{parts.map((part, i) => (i % 2 ? <code key={i} className="rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">{part}</code> : part))}</>;
};

const formatPercent = (percent: number | null) =>
  percent === null || !Number.isFinite(percent) ? "" : ` (${percent > 0 ? "+" : percent < 0 ? "−" : "±"}${Math.abs(percent).toFixed(1)} %)`;

const Delta = ({ delta }: { delta: ReportDelta }) =>
  delta.bytes === null ? (
    <span className="text-slate-400">—</span>
  ) : (
    <span className={`tabular-nums ${delta.bytes > 0 ? "text-red-700 dark:text-red-400" : delta.bytes < 0 ? "text-emerald-700 dark:text-emerald-400" : ""}`}>
      {formatDelta(delta.bytes)}
      {formatPercent(delta.percent)}
    </span>
  );

const BudgetCell = ({ row }: { row: ReportRow }) => {
  const { budget } = row;
  if (!budget.evaluated) return <span className="text-slate-400">—</span>;
  if (budget.sizeBudgetBytes === null && budget.regressionThresholdPct === null) return <span className="text-slate-500">no budget</span>;
  if (budget.passed)
    return (
      <span className="text-emerald-700 dark:text-emerald-400">
        within{budget.sizeBudgetBytes !== null && <> ≤ <Bytes value={budget.sizeBudgetBytes} /></>}
        {budget.regressionThresholdPct !== null && <> · ≤ +{budget.regressionThresholdPct} %</>}
      </span>
    );
  return <span className="font-medium text-red-700 dark:text-red-400">{[budget.overBudget && "over budget", budget.regression && "regression"].filter(Boolean).join(", ")}</span>;
};

const Summary = ({ report }: { report: Report }) => {
  const verdict = computeReportVerdict(report);
  const tone = verdict.passed
    ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
    : verdict.done
      ? "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
      : "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100";
  const hasBudget = report.rows.some((row) => row.budget.sizeBudgetBytes !== null || row.budget.regressionThresholdPct !== null);
  const headline = verdict.passed
    ? hasBudget
      ? "Every image builds, runs and is within budget"
      : "Every image builds and runs (no size budget set)"
    : !verdict.done
      ? "Not finished when the report was made"
      : !verdict.healthy
        ? "Not every image builds and runs"
        : "Over budget";
  return (
    <section data-testid="report-verdict" data-passed={verdict.passed} className={`rounded-lg border p-4 text-sm ${tone}`}>
      <p className="font-semibold">{headline}</p>
      {report.kind === "comparison" && (
        <p className="mt-1" data-testid="smallest-that-runs">
          {report.smallestThatRuns
            ? `Smallest image that runs: ${report.smallestThatRuns.variant}.`
            : report.rows.filter((row) => row.status === "SUCCEEDED").length > 1
              ? "None of the images runs: no variant is recommended."
              : null}
        </p>
      )}
      {verdict.messages.length > 0 && (
        <ul className="mt-2 list-disc space-y-1 pl-5">
          {verdict.messages.map((message, i) => (
            <li key={i} className="break-words">
              {message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};

const BuildsTable = ({ report }: { report: Report }) => (
  <Table data-testid="report-table">
    <thead>
      <tr>
        <th scope="col">Variant</th>
        <th scope="col">Status</th>
        <th scope="col" className="text-right">Size</th>
        <th scope="col" className="text-right">Base</th>
        <th scope="col" className="text-right">vs baseline</th>
        <th scope="col" className="text-right">vs previous</th>
        <th scope="col">Runs</th>
        <th scope="col" className="text-right">Layers</th>
        <th scope="col" className="text-right">Build time</th>
        <th scope="col" className="text-right">Cached</th>
        <th scope="col">Budget</th>
      </tr>
    </thead>
    <tbody>
      {report.rows.map((row) => (
        <tr key={row.buildId} data-variant={row.variant}>
          <td className="align-top">
            <span className="font-medium break-words">{row.variant}</span>
            <span className="block text-xs text-slate-500">
              {row.strategyLabel}
              {row.isBaseline && " · baseline"}
              {row.isSmallest && <span className="font-semibold text-emerald-700 dark:text-emerald-400"> · smallest that runs</span>}
            </span>
          </td>
          <td className="align-top">
            <StatusBadge status={row.status} />
          </td>
          <td className={num}>
            <Bytes value={row.size} />
          </td>
          <td className={num}>
            <Bytes value={row.baseSize} />
          </td>
          <td className={num}>
            <Delta delta={row.deltaVsBaseline} />
          </td>
          <td className={num}>
            <Delta delta={row.deltaVsPrevious} />
          </td>
          <td className="align-top">
            {row.runs === null ? <span className="text-slate-400">—</span> : <RunsBadge runs={row.runs} />}
            {row.smokeError && <span className="mt-1 block max-w-xs break-words font-mono text-xs text-red-700 dark:text-red-400">{row.smokeError}</span>}
          </td>
          <td className={num}>{row.layerCount ?? "—"}</td>
          <td className={num}>{formatDuration(row.durationMs)}</td>
          <td className={num}>{row.stepsTotal ? `${row.cachedSteps}/${row.stepsTotal}` : "—"}</td>
          <td className="align-top">
            <BudgetCell row={row} />
          </td>
        </tr>
      ))}
    </tbody>
  </Table>
);

const TopLayers = ({ report }: { report: Report }) => (
  <Table>
    <thead>
      <tr>
        {report.kind === "comparison" && <th scope="col">Variant</th>}
        <th scope="col" className="text-right">Layer</th>
        <th scope="col">Instruction</th>
        <th scope="col" className="text-right">Size</th>
        <th scope="col" className="text-right">Share</th>
      </tr>
    </thead>
    <tbody>
      {report.topLayers.map((layer) => (
        <tr key={`${layer.buildId}-${layer.position}`}>
          {report.kind === "comparison" && <td className="align-top">{layer.variant}</td>}
          <td className={num}>{layer.position}</td>
          <td className="max-w-xl break-all align-top font-mono text-xs" title={layer.instruction}>
            {layer.instruction.length > 200 ? `${layer.instruction.slice(0, 199)}…` : layer.instruction}
          </td>
          <td className={num}>
            <Bytes value={layer.size} />
          </td>
          <td className={num}>{layer.percentOfImage === null ? "—" : `${layer.percentOfImage.toFixed(1)} %`}</td>
        </tr>
      ))}
    </tbody>
  </Table>
);

const SEVERITY_STYLE = {
  high: "bg-red-600 text-white",
  medium: "bg-amber-200 text-amber-900 dark:bg-amber-800 dark:text-amber-50",
  low: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
} as const;

const Advice = ({ report }: { report: Report }) => (
  <ul className="space-y-3">
    {report.advice.map((finding, i) => (
      <li key={i} className="text-sm">
        <p>
          <span className={`mr-2 rounded px-1.5 py-0.5 text-xs font-semibold ${SEVERITY_STYLE[finding.severity]}`}>{finding.severity}</span>
          <span className="font-medium">{finding.title}</span>
          {report.kind === "comparison" && <span className="text-slate-500"> · {finding.variant}</span>}
          {finding.bytesAtStake !== null && (
            <span className="text-slate-500">
              {" "}
              · <Bytes value={finding.bytesAtStake} /> at stake
            </span>
          )}
        </p>
        <p className="mt-1 break-words text-slate-600 dark:text-slate-300">
          <TextWithCode text={finding.detail} />
        </p>
      </li>
    ))}
  </ul>
);

export const ReportView = ({ report }: { report: Report }) => (
  <div className="space-y-6 print:[&_section]:break-inside-avoid">
    <Summary report={report} />
    <Card title="Image size">
      <ReportSizeChart rows={report.rows} />
    </Card>
    <Card title={report.kind === "comparison" ? "Variants" : "Build"}>
      <BuildsTable report={report} />
      <p className="mt-2 text-xs text-slate-500">
        {report.baseline ? `Baseline: ${report.baseline.variant}. ` : "No baseline. "}
        &ldquo;vs previous&rdquo; compares with the previous successful build of the same variant.
        {report.contextRevision && ` Context revision ${shortId(report.contextRevision, 12)}.`}
      </p>
    </Card>
    {report.layerDiffs?.length > 0 && (
      <Card title={`Layers vs baseline (${report.layerDiffs[0].baselineVariant})`}>
        <ReportLayerDiffs diffs={report.layerDiffs} />
      </Card>
    )}
    {report.topLayers.length > 0 && (
      <Card title="Largest own layers">
        <TopLayers report={report} />
      </Card>
    )}
    {report.advice.length > 0 && (
      <Card title="Advice">
        <Advice report={report} />
      </Card>
    )}
    {hasReportContent(report) && (
      <Card title="Image contents">
        <ReportContent report={report} />
      </Card>
    )}
  </div>
);
