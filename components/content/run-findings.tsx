// The static "will it run?" evidence beside the smoke result, and a line that says when the
// two disagree. Findings are computed from the index before the image is ever started.
import type { ContentFinding } from "@/lib/content/types";
import { layerInstruction, layerNumber, type LayerRef } from "@/components/content/layer-ref";
import { compareWithSmoke, type SmokeOutcome } from "@/lib/content/evidence-vs-smoke";

const severityStyle = {
  high: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100",
  medium: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100",
  low: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
} as const;

export type RunFindingsState = { status: "none" | "pending" | "failed" | "done"; findings: ContentFinding[]; error?: string | null };

export const RunFindings = ({ state, smoke, layers }: { state: RunFindingsState; smoke: SmokeOutcome | null; layers: LayerRef[] }) => {
  const comparison = state.status === "done" ? compareWithSmoke(state.findings, smoke) : null;
  const disagrees = comparison?.verdict === "static-only" || comparison?.verdict === "smoke-only";
  return (
    <div className="space-y-2" data-testid="run-findings" data-status={state.status} data-count={state.findings.length} data-verdict={comparison?.verdict}>
      <h3 className="text-sm font-semibold">Static checks of the image contents</h3>
      {state.status === "none" && <p className="text-sm text-slate-500">The image contents were not analysed.</p>}
      {state.status === "pending" && <p className="text-sm text-slate-500">Waiting for the content analysis…</p>}
      {state.status === "failed" && <p className="text-sm text-red-700 dark:text-red-300">The content analysis failed{state.error ? `: ${state.error}` : ""}.</p>}
      {state.status === "done" && state.findings.length === 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          No missing libraries or interpreters, dangling symlinks in own layers, or entrypoint missing from PATH.
        </p>
      )}
      {state.findings.length > 0 && (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {state.findings.map((f, i) => (
            <li key={`${f.kind}:${f.evidence.path}:${f.evidence.missing}:${i}`} className="py-2" data-testid="run-finding" data-kind={f.kind}>
              <div className="flex flex-wrap items-center gap-2">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${severityStyle[f.severity]}`}>{f.severity}</span>
                <span className="text-sm font-medium break-words">{f.title}</span>
              </div>
              <p className="mt-1 break-all font-mono text-xs text-slate-600 dark:text-slate-300">
                {f.evidence.path} → missing {f.evidence.missing}
                {f.evidence.layer !== null && ` · layer ${layerNumber(layers, f.evidence.layer)}${layerInstruction(layers, f.evidence.layer) ? ` (${layerInstruction(layers, f.evidence.layer).slice(0, 80)})` : ""}`}
                {f.evidence.providedBy && ` · provided by ${f.evidence.providedBy} in the build stage`}
              </p>
            </li>
          ))}
        </ul>
      )}
      {comparison && disagrees && (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100" data-testid="run-disagreement">
          {comparison.message}
        </p>
      )}
      {comparison && !disagrees && (
        <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="run-agreement">
          {comparison.message}
        </p>
      )}
    </div>
  );
};
