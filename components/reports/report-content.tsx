// The report's image contents (schemaVersion 2): static run findings and each build's top
// content differences against the baseline, as tables (share links and the live report).
import type { Report } from "@/lib/reports/build-report";
import { formatBytes, formatDelta } from "@/lib/format/bytes";
import { Table } from "@/components/ui/table";

export const hasReportContent = (report: Report) => Boolean(report.content && (report.content.findings.length || report.content.differences.length));

export const ReportContent = ({ report }: { report: Report }) => {
  const { findings, differences } = report.content;
  return (
    <div className="space-y-4" data-testid="report-content">
      {findings.length > 0 && (
        <div>
          <h3 className="mb-1 text-sm font-medium">Static run checks</h3>
          <ul className="space-y-1 text-sm">
            {findings.map((f, i) => (
              <li key={`${f.buildId}:${f.path}:${f.missing}:${i}`} className="break-words">
                <span className="mr-1 rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800 dark:bg-red-900 dark:text-red-100">{f.severity}</span>
                {f.title}
                {report.kind === "comparison" && <span className="text-slate-500"> · {f.variant}</span>}
                {f.providedBy && <span className="text-slate-500"> · provided by {f.providedBy} in the build stage</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {differences.length > 0 && (
        <div>
          <h3 className="mb-1 text-sm font-medium">Contents against the baseline{report.baseline ? ` (${report.baseline.variant})` : ""}</h3>
          <Table caption="Content differences against the baseline">
            <thead>
              <tr>
                <th>Variant</th>
                <th className="text-right">File bytes</th>
                <th className="hidden sm:table-cell">Largest directory changes</th>
                <th className="hidden md:table-cell">Packages</th>
              </tr>
            </thead>
            <tbody>
              {differences.map((d) => (
                <tr key={d.buildId}>
                  <td>{d.variant}</td>
                  <td className="text-right tabular-nums">{formatDelta(d.deltaBytes)}</td>
                  <td className="hidden break-all font-mono text-xs sm:table-cell">
                    {d.topDirectories.slice(0, 3).map((t) => `${t.directory} ${formatDelta(t.deltaBytes)}`).join(", ")}
                  </td>
                  <td className="hidden break-all font-mono text-xs md:table-cell">
                    {d.packages.slice(0, 4).map((p) => `${p.change === "added" ? "+" : p.change === "removed" ? "−" : "~"}${p.name} ${formatBytes(Math.abs(p.deltaBytes))}`).join(", ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      )}
    </div>
  );
};
