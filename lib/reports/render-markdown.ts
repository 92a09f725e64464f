// A report as GitHub-flavoured Markdown, sized for a pull-request comment: one table
// with sizes and deltas, whether each image runs, the budget verdict, the largest own
// layers and the advice, with a link back to the dashboard.
import { formatBytes, formatDelta, formatDuration, shortId } from "@/lib/format/bytes";
import type { Report, ReportDelta, ReportRow } from "@/lib/reports/build-report";
import { escapeMarkdown, escapeWithCodeSpans, toCodeSpan, truncate } from "@/lib/reports/escape-markdown";
import { formatDateTime } from "@/lib/format/date";

export type RenderMarkdownOptions = {
  // origin of the app (https://layerboard.example.com) for the link back; omitted: no link
  baseUrl?: string | null;
  // when rendering a shared snapshot: its public URL
  shareUrl?: string | null;
};

const MAX_ADVICE = 10;
const MAX_INSTRUCTION = 90;

const SEVERITY_ICON = { high: "🔴", medium: "🟠", low: "⚪" } as const;

const formatSignedPercent = (percent: number | null) =>
  percent === null || !Number.isFinite(percent) ? "" : ` (${percent > 0 ? "+" : percent < 0 ? "−" : "±"}${Math.abs(percent).toFixed(1)} %)`;

const formatDeltaCell = (delta: ReportDelta) => (delta.bytes === null ? "—" : `${formatDelta(delta.bytes)}${formatSignedPercent(delta.percent)}`);

const formatStatus = (row: ReportRow) => (row.status === "SUCCEEDED" ? "succeeded" : `❌ ${row.status.toLowerCase()}`);

const formatRuns = (row: ReportRow) => (row.runs === null ? "—" : row.runs ? "✅ runs" : "❌ does not run");

const formatBudget = (row: ReportRow) => {
  const { budget } = row;
  if (!budget.evaluated) return "—";
  if (budget.sizeBudgetBytes === null && budget.regressionThresholdPct === null) return "no budget";
  if (!budget.passed) return [budget.overBudget && "❌ over budget", budget.regression && "❌ regression"].filter(Boolean).join(", ");
  const limits = [budget.sizeBudgetBytes !== null && `≤ ${formatBytes(budget.sizeBudgetBytes)}`, budget.regressionThresholdPct !== null && `≤ +${budget.regressionThresholdPct} %`];
  return `✅ ${limits.filter(Boolean).join(", ")}`;
};

const formatVariant = (row: ReportRow) =>
  [`**${escapeMarkdown(row.variant)}**`, row.isBaseline && "(baseline)", row.isSmallest && "⭐ smallest that runs"].filter(Boolean).join(" ");

// Issue 17: what a pull downloads; "est." when no registry manifest says it.
const formatCompressed = (row: ReportRow) =>
  row.compressedSize === null ? "—" : `${formatBytes(row.compressedSize)}${row.compressedSource === "ESTIMATED" ? " (est.)" : ""}`;

const renderTable = (report: Report) => [
  "| Variant | Status | Size | Compressed | vs baseline | vs previous | Runs | Layers | Build time | Cached steps | Budget |",
  "|:--|:--|--:|--:|--:|--:|:--|--:|--:|--:|:--|",
  ...report.rows.map((row) =>
    [
      formatVariant(row),
      formatStatus(row),
      formatBytes(row.size),
      formatCompressed(row),
      formatDeltaCell(row.deltaVsBaseline),
      formatDeltaCell(row.deltaVsPrevious),
      formatRuns(row),
      row.layerCount ?? "—",
      formatDuration(row.durationMs),
      row.stepsTotal ? `${row.cachedSteps}/${row.stepsTotal}` : "—",
      formatBudget(row),
    ].join(" | "),
  ).map((line) => `| ${line} |`),
];

// Names the winner, and any smaller image that lost because it does not run.
const renderSmallest = (report: Report) => {
  const winner = report.smallestThatRuns;
  const built = report.rows.filter((row) => row.status === "SUCCEEDED" && row.size !== null);
  if (report.kind !== "comparison" || built.length < 2) return [];
  const smallerBroken = built.filter((row) => row.runs !== true && (!winner || row.size! < winner.size));
  const excuse = smallerBroken.length
    ? ` (smaller but not running: ${smallerBroken.map((row) => `${escapeMarkdown(row.variant)} ${formatBytes(row.size)}`).join(", ")})`
    : "";
  return [
    winner
      ? `**Smallest that runs:** ⭐ ${escapeMarkdown(winner.variant)} (${formatBytes(winner.size)})${excuse}`
      : `**Smallest that runs:** none of the images runs${excuse}`,
    "",
  ];
};

const renderSummary = (report: Report) => {
  const lines: string[] = [...renderSmallest(report)];
  const budgetProblems = report.budget.messages;
  lines.push(
    budgetProblems.length
      ? `**Budget:** ❌ ${budgetProblems.length} problem${budgetProblems.length === 1 ? "" : "s"}`
      : report.rows.some((row) => row.budget.evaluated && (row.budget.sizeBudgetBytes !== null || row.budget.regressionThresholdPct !== null))
        ? "**Budget:** ✅ within budget"
        : "**Budget:** no budget set",
  );
  lines.push(...budgetProblems.map((message) => `- ${escapeMarkdown(message)}`));
  const broken = report.rows.filter((row) => row.status === "SUCCEEDED" && row.runs === false);
  if (broken.length) {
    lines.push("", `**Does not run:** ❌ ${broken.length} image${broken.length === 1 ? "" : "s"} failed the smoke run`);
    lines.push(...broken.map((row) => `- ${escapeMarkdown(row.variant)}: ${row.smokeError ? toCodeSpan(truncate(row.smokeError, 200), { inTable: false }) : "failed"}`));
  }
  const failed = report.rows.filter((row) => row.status !== "SUCCEEDED" && row.status !== "QUEUED" && row.status !== "RUNNING");
  if (failed.length) {
    lines.push("", `**Build failures:** ❌ ${failed.length}`);
    lines.push(
      ...failed.map(
        (row) => `- ${escapeMarkdown(row.variant)}: ${row.status.toLowerCase()}${row.error ? ` ${toCodeSpan(truncate(row.error, 200), { inTable: false })}` : ""}`,
      ),
    );
  }
  return lines;
};

const renderTopLayers = (report: Report) => {
  if (!report.topLayers.length) return [];
  return [
    "<details>",
    `<summary>Largest own layers (${report.topLayers.length})</summary>`,
    "",
    "| Variant | Layer | Instruction | Size | Share of image |",
    "|:--|--:|:--|--:|--:|",
    ...report.topLayers.map(
      (layer) =>
        `| ${escapeMarkdown(layer.variant)} | ${layer.position} | ${toCodeSpan(truncate(layer.instruction.replace(/\s+/g, " "), MAX_INSTRUCTION))} | ${formatBytes(layer.size)} | ${
          layer.percentOfImage === null ? "—" : `${layer.percentOfImage.toFixed(1)} %`
        } |`,
    ),
    "",
    "</details>",
  ];
};

const renderAdvice = (report: Report) => {
  if (!report.advice.length) return [];
  const shown = report.advice.slice(0, MAX_ADVICE);
  return [
    "### Advice",
    "",
    ...shown.map((finding) =>
      [
        `- ${SEVERITY_ICON[finding.severity]} **${finding.title}**`,
        report.kind === "comparison" && `· ${escapeMarkdown(finding.variant)}`,
        finding.layerPosition !== null && `· layer ${finding.layerPosition}`,
        finding.bytesAtStake !== null && `· ${formatBytes(finding.bytesAtStake)} at stake`,
        `  \n  ${escapeWithCodeSpans(finding.detail)}`,
      ]
        .filter(Boolean)
        .join(" "),
    ),
    ...(report.advice.length > shown.length ? ["", `…and ${report.advice.length - shown.length} more in the JSON report.`] : []),
  ];
};

const MAX_LAYER_CHANGES = 5;

const LAYER_CHANGE_MARK = { added: "+", removed: "−", grown: "▲", shrunk: "▼" } as const;

// Each image's layers against the baseline's: counts, the byte delta and the largest changes.
const renderLayerDiffs = (report: Report) => {
  if (!report.layerDiffs?.length) return [];
  const baseline = report.layerDiffs[0].baselineVariant;
  return [
    "<details>",
    `<summary>Layers vs baseline (${escapeMarkdown(baseline)})</summary>`,
    "",
    "| Variant | Added | Removed | Grown | Shrunk | Layer bytes | Largest changes |",
    "|:--|--:|--:|--:|--:|--:|:--|",
    ...report.layerDiffs.map((d) => {
      const changes = d.changes
        .slice(0, MAX_LAYER_CHANGES)
        .map((c) => `${LAYER_CHANGE_MARK[c.kind]} ${toCodeSpan(truncate(c.instruction.replace(/\s+/g, " "), 60))} ${formatDelta(c.deltaBytes)}`)
        .join("<br>");
      return `| ${escapeMarkdown(d.variant)} | ${d.added} | ${d.removed} | ${d.grown} | ${d.shrunk} | ${formatDelta(d.deltaBytes)} | ${changes || "—"} |`;
    }),
    "",
    "</details>",
  ];
};

const MAX_CONTENT_FINDINGS = 10;

const formatDirectoryChange = (d: { directory: string; deltaBytes: number }) => `${toCodeSpan(truncate(d.directory, 60))} ${formatDelta(d.deltaBytes)}`;

// Image contents: the static run findings, then each build's largest differences vs the baseline.
const renderContent = (report: Report) => {
  const content = report.content;
  if (!content || (!content.findings.length && !content.differences.length)) return [];
  const lines = ["### Image contents", ""];
  if (content.findings.length) {
    const shown = content.findings.slice(0, MAX_CONTENT_FINDINGS);
    lines.push(
      "**Static run checks:**",
      ...shown.map((f) =>
        [
          `- ${SEVERITY_ICON[f.severity]} ${escapeWithCodeSpans(f.title)}`,
          report.kind === "comparison" && `· ${escapeMarkdown(f.variant)}`,
          f.layer !== null && `· layer ${f.layer}`,
          f.providedBy && `· provided by ${toCodeSpan(truncate(f.providedBy, 60), { inTable: false })} in the build stage`,
        ]
          .filter(Boolean)
          .join(" "),
      ),
      ...(content.findings.length > shown.length ? [`- …and ${content.findings.length - shown.length} more in the JSON report.`] : []),
      "",
    );
  }
  if (content.differences.length) {
    lines.push(
      `**Content vs baseline${report.baseline ? ` (${escapeMarkdown(report.baseline.variant)})` : ""}:**`,
      "",
      "| Variant | File bytes | Added | Removed | Largest directory changes | Packages |",
      "|:--|--:|--:|--:|:--|:--|",
      ...content.differences.map((d) => {
        const packages = d.packages
          .slice(0, 4)
          .map((p) => `${p.change === "added" ? "+" : p.change === "removed" ? "−" : "~"}${toCodeSpan(truncate(p.name, 40))} ${formatBytes(Math.abs(p.deltaBytes))}`)
          .join(", ");
        return `| ${escapeMarkdown(d.variant)} | ${formatDelta(d.deltaBytes)} | ${d.addedFiles} (${formatBytes(d.addedBytes)}) | ${d.removedFiles} (${formatBytes(d.removedBytes)}) | ${
          d.topDirectories.slice(0, 3).map(formatDirectoryChange).join(", ") || "—"
        } | ${packages || "—"} |`;
      }),
      "",
    );
  }
  return lines.slice(0, -1);
};

const renderIntro = (report: Report) => {
  const parts = [
    report.kind === "comparison" ? `Comparison of ${report.rows.length} variants` : `Build of ${escapeMarkdown(report.rows[0]?.variant ?? "—")}`,
    `project **${escapeMarkdown(report.project.name)}**`,
  ];
  if (report.contextRevision) parts.push(`revision ${toCodeSpan(shortId(report.contextRevision, 12), { inTable: false })}`);
  if (report.baseline && report.kind === "comparison") parts.push(`baseline ${escapeMarkdown(report.baseline.variant)}`);
  else if (report.baseline) parts.push(`baseline ${escapeMarkdown(report.baseline.variant)} (${formatBytes(report.baseline.size)})`);
  return parts.join(" · ");
};

export const renderReportMarkdown = (report: Report, options: RenderMarkdownOptions = {}): string => {
  const pending = report.rows.filter((row) => row.status === "QUEUED" || row.status === "RUNNING").length;
  const links = [
    options.baseUrl && `[Open in Layerboard](${new URL(report.dashboardPath, options.baseUrl).toString()})`,
    options.shareUrl && `[Shared snapshot](${options.shareUrl})`,
  ].filter(Boolean);
  const lines = [
    `## Layerboard report: ${escapeMarkdown(report.title)}`,
    "",
    renderIntro(report),
    ...(pending ? ["", `> ⏳ Not finished: ${pending} of ${report.rows.length} builds still queued or running.`] : []),
    "",
    ...renderTable(report),
    "",
    ...renderSummary(report),
    ...(report.topLayers.length ? ["", ...renderTopLayers(report)] : []),
    ...(report.layerDiffs?.length ? ["", ...renderLayerDiffs(report)] : []),
    ...(report.advice.length ? ["", ...renderAdvice(report)] : []),
    ...(renderContent(report).length ? ["", ...renderContent(report)] : []),
    "",
    `<sub>Generated by Layerboard at ${formatDateTime(report.generatedAt)}${links.length ? ` · ${links.join(" · ")}` : ""}</sub>`,
    "",
  ];
  return lines.join("\n");
};
