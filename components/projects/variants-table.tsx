// A project's variants: strategy colour and name, Dockerfile and target, budget, the latest
// size and whether it runs, and a Build button for builders (the page passes the action).
import Link from "next/link";
import { Bytes } from "@/components/ui/bytes";
import { RunsBadge } from "@/components/ui/status-badge";
import { Table } from "@/components/ui/table";
import { ActionButton } from "@/components/projects/action-button";
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import type { FormAction } from "@/lib/actions/result";
import type { LatestSizes } from "@/lib/data/charts";
import type { HistorySeries } from "@/lib/history/shape-size-history";
import type { ProjectDto } from "@/lib/types";

type Props = {
  project: ProjectDto;
  // One per variant, in the project's order, with its chart colour.
  series: HistorySeries[];
  latest: LatestSizes;
  // Null when the viewer may not build.
  buildAction: FormAction<string> | null;
};

export const VariantsTable = ({ project, series, latest, buildAction }: Props) => (
  <Table look="list">
    <thead>
      <tr>
        <th scope="col">Variant</th>
        <th scope="col">Dockerfile</th>
        <th scope="col">Target</th>
        <th scope="col" className="text-right">Budget</th>
        <th scope="col" className="text-right">Latest size</th>
        <th scope="col">Runs</th>
        <th scope="col"><span className="sr-only">Actions</span></th>
      </tr>
    </thead>
    <tbody>
      {series.map((s) => {
        const variant = project.variants.find((v) => v.id === s.id)!;
        const last = latest.get(s.id)?.at(-1);
        return (
          <tr key={s.id} data-testid="variant-row">
            <td>
              <div className="flex items-center gap-2">
                <span aria-hidden="true" className="h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: s.color }} />
                <div>
                  <div className="font-medium">{variant.name}</div>
                  <div className="text-xs text-slate-500 dark:text-slate-400">{STRATEGY_META[variant.strategy].label}</div>
                </div>
              </div>
            </td>
            <td className="font-mono text-xs">
              {variant.dockerfile}
              {variant.runtimeDockerfile && <div className="text-slate-500">runtime: {variant.runtimeDockerfile}</div>}
            </td>
            <td className="font-mono text-xs">{variant.target ?? "—"}</td>
            <td className="text-right">
              <Bytes value={variant.sizeBudgetBytes} />
              {variant.sizeBudgetBytes !== null && variant.budgetBasis === "COMPRESSED" && <div className="text-xs text-slate-500 dark:text-slate-400">compressed</div>}
            </td>
            <td className="text-right">
              {last ? (
                <Link href={`/builds/${last.buildId}`} className="hover:underline">
                  <Bytes value={last.totalSize} className={variant.budgetBasis !== "COMPRESSED" && variant.sizeBudgetBytes !== null && last.totalSize > variant.sizeBudgetBytes ? "font-semibold text-red-700 dark:text-red-300" : ""} />
                </Link>
              ) : (
                <span className="text-slate-400">no build yet</span>
              )}
            </td>
            <td>{last ? <RunsBadge runs={last.runs} /> : "—"}</td>
            <td className="text-right">
              {buildAction && (
                <ActionButton action={buildAction} fields={{ variantId: variant.id, projectId: project.id }} label="Build" pendingLabel="Queueing…" variant="secondary" ariaLabel={`Build ${variant.name}`} />
              )}
            </td>
          </tr>
        );
      })}
    </tbody>
  </Table>
);
