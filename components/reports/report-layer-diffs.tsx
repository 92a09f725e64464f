// A report's layers vs the baseline: per image, the layers added, removed and resized, the byte
// delta and the largest changes. Read-only, for the share page and live reports.
import { Table } from "@/components/ui/table";
import { formatDelta } from "@/lib/format/bytes";
import type { ReportLayerDiff } from "@/lib/reports/report-layer-diff";

const num = "align-top whitespace-nowrap text-right tabular-nums";
const SHOWN = 5;
const hiddenChanges = (d: ReportLayerDiff) => Math.max(0, d.changes.length - SHOWN) + d.moreChanges;
const MARK = { added: "added", removed: "removed", grown: "grew", shrunk: "shrank" } as const;

export const ReportLayerDiffs = ({ diffs }: { diffs: ReportLayerDiff[] }) => (
  <Table data-testid="report-layer-diffs" caption={`Layers of each image against the baseline ${diffs[0]?.baselineVariant ?? ""}`}>
    <thead>
      <tr>
        <th scope="col">Variant</th>
        <th scope="col" className="text-right">Layer bytes</th>
        <th scope="col" className="text-right">+ / − / ~</th>
        <th scope="col">Largest changes</th>
      </tr>
    </thead>
    <tbody>
      {diffs.map((d) => (
        <tr key={d.buildId} data-variant={d.variant}>
          <td className="align-top font-medium break-words">{d.variant}</td>
          <td className={`${num} ${d.deltaBytes > 0 ? "text-red-700 dark:text-red-400" : d.deltaBytes < 0 ? "text-emerald-700 dark:text-emerald-400" : ""}`}>{formatDelta(d.deltaBytes)}</td>
          <td className={num}>
            {d.added} / {d.removed} / {d.grown + d.shrunk}
          </td>
          <td className="align-top">
            <ul className="space-y-0.5">
              {d.changes.slice(0, SHOWN).map((c, i) => (
                <li key={i} className="text-xs">
                  <span className="text-slate-500">{MARK[c.kind]}</span>{" "}
                  <code className="break-all font-mono">{c.instruction.length > 120 ? `${c.instruction.slice(0, 119)}…` : c.instruction}</code>{" "}
                  <span className="tabular-nums">{formatDelta(c.deltaBytes)}</span>
                </li>
              ))}
              {d.changes.length === 0 && <li className="text-xs text-slate-500">same layers</li>}
              {hiddenChanges(d) > 0 && <li className="text-xs text-slate-500">…and {hiddenChanges(d)} more (CSV: rows=layer-diff)</li>}
            </ul>
          </td>
        </tr>
      ))}
    </tbody>
  </Table>
);
