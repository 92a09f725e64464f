// Two builds' layers aligned by instruction: what was added, removed, grew or shrank.
import { Bytes } from "@/components/ui/bytes";
import { Table } from "@/components/ui/table";
import { formatDelta } from "@/lib/format/bytes";
import type { LayerDiff, LayerDiffKind } from "@/lib/builds/layer-diff";

const KIND_STYLE: Record<LayerDiffKind, string> = {
  added: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100",
  removed: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100",
  grown: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100",
  shrunk: "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100",
  unchanged: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
};

type Props = { diff: LayerDiff; labelA: string; labelB: string };

export const LayerDiffTable = ({ diff, labelA, labelB }: Props) => (
  <div className="space-y-2">
    <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="layer-diff-summary">
      {labelB} vs {labelA}: <strong className="tabular-nums">{formatDelta(diff.totals.deltaBytes)}</strong> — {diff.totals.added} added, {diff.totals.removed} removed,{" "}
      {diff.totals.grown} grown, {diff.totals.shrunk} shrunk, {diff.totals.unchanged} unchanged layers.
    </p>
    <Table look="list" caption={`Layers of ${labelA} (A) and ${labelB} (B) aligned by instruction`} className="min-w-[44rem]" data-testid="layer-diff-table">
      <thead>
        <tr>
          <th scope="col">Change</th>
          <th scope="col">Instruction</th>
          <th scope="col" className="text-right">A: {labelA}</th>
          <th scope="col" className="text-right">B: {labelB}</th>
          <th scope="col" className="text-right">Δ</th>
        </tr>
      </thead>
      <tbody>
        {diff.rows.map((row, index) => (
          <tr key={index} data-testid="layer-diff-row" data-kind={row.kind}>
            <td className="py-1.5 align-top">
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${KIND_STYLE[row.kind]}`}>{row.kind}</span>
            </td>
            <td className="max-w-xl py-1.5 align-top">
              <code className="line-clamp-3 break-all text-xs" title={row.instruction}>
                {(row.a?.isFromBase ?? row.b?.isFromBase) ? <span className="mr-1 text-slate-500">[base]</span> : null}
                {row.instruction || "(no instruction recorded)"}
              </code>
            </td>
            <td className="py-1.5 text-right align-top">{row.a ? <Bytes value={row.a.size} /> : <span className="text-slate-400">—</span>}</td>
            <td className="py-1.5 text-right align-top">{row.b ? <Bytes value={row.b.size} /> : <span className="text-slate-400">—</span>}</td>
            <td className={`py-1.5 text-right align-top tabular-nums ${row.deltaBytes > 0 ? "text-red-700 dark:text-red-300" : row.deltaBytes < 0 ? "text-emerald-700 dark:text-emerald-300" : "text-slate-400"}`}>
              {formatDelta(row.deltaBytes)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot className="border-t-2 border-slate-300 font-medium dark:border-slate-700">
        <tr>
          <td colSpan={2}>Total of real layers</td>
          <td className="text-right"><Bytes value={diff.totals.sizeA} /></td>
          <td className="text-right"><Bytes value={diff.totals.sizeB} /></td>
          <td className="text-right tabular-nums">{formatDelta(diff.totals.deltaBytes)}</td>
        </tr>
      </tfoot>
    </Table>
  </div>
);
