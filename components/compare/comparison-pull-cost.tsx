// What N variants cost to pull together (each shared layer once) against separately (issue 17).
import { Bytes } from "@/components/ui/bytes";
import type { ComparisonPullCost as Cost } from "@/lib/analysis/pull-cost";

export const ComparisonPullCost = ({ cost, count }: { cost: Cost; count: number }) => (
  <div className="overflow-x-auto">
    <table className="w-full min-w-[20rem] text-sm" data-testid="comparison-pull-cost">
      <caption className="mb-1 text-left text-xs text-slate-500 dark:text-slate-400">
        Compressed bytes a node downloads to pull all {count} variants; shared layers are counted once together
      </caption>
      <thead>
        <tr className="text-xs text-slate-500 dark:text-slate-400">
          <th scope="col" className="py-1 text-left font-normal">Node</th>
          <th scope="col" className="py-1 text-right font-normal">Separately</th>
          <th scope="col" className="py-1 text-right font-normal">Together</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
        <tr>
          <th scope="row" className="py-1 text-left font-normal">Empty</th>
          <td className="py-1 text-right"><Bytes value={cost.separateBytes} /></td>
          <td className="py-1 text-right"><Bytes value={cost.togetherBytes} /></td>
        </tr>
        <tr>
          <th scope="row" className="py-1 text-left font-normal">Has the base image</th>
          <td className="py-1 text-right"><Bytes value={cost.separateWithBaseBytes} /></td>
          <td className="py-1 text-right"><Bytes value={cost.togetherWithBaseBytes} /></td>
        </tr>
      </tbody>
    </table>
  </div>
);
