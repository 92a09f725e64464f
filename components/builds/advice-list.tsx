// Advice on the image's own layers (computed on the server by lib/analysis/advice.ts).
import type { Finding, FindingSeverity } from "@/lib/analysis/advice";
import { Bytes } from "@/components/ui/bytes";

const severityStyle: Record<FindingSeverity, string> = {
  high: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100",
  medium: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100",
  low: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
};

export const AdviceList = ({ findings }: { findings: Finding[] }) => (
  <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="advice-list">
    {findings.map((finding, i) => (
      <li key={`${finding.code}-${finding.layerPosition ?? i}`} className="py-3 first:pt-0 last:pb-0">
        <div className="flex flex-wrap items-center gap-2">
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${severityStyle[finding.severity]}`}>{finding.severity}</span>
          <h3 className="font-medium">{finding.title}</h3>
          {finding.bytesAtStake !== null && (
            <span className="text-xs text-slate-600 dark:text-slate-300">
              up to <Bytes value={finding.bytesAtStake} /> at stake
            </span>
          )}
        </div>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{finding.detail}</p>
        {finding.instruction && (
          <p className="mt-1 break-words font-mono text-xs text-slate-500 dark:text-slate-400">
            {finding.line !== undefined && <span>Dockerfile line {finding.line} · </span>}
            {finding.layerPosition !== null && <span>layer {finding.layerPosition}: </span>}
            {finding.instruction.length > 300 ? `${finding.instruction.slice(0, 300)}…` : finding.instruction}
          </p>
        )}
      </li>
    ))}
  </ul>
);
