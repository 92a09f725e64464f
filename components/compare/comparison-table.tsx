// Builds side by side: size and delta against the baseline, whether the image runs (and
// why not), layers, time and cache hits. The smallest size is highlighted.
import Link from "next/link";
import { Bytes } from "@/components/ui/bytes";
import { Table } from "@/components/ui/table";
import { RunsBadge, StatusBadge } from "@/components/ui/status-badge";
import { VariantChip } from "@/components/projects/variant-chip";
import { ProgressBar } from "@/components/overview/progress-bar";
import { formatDelta, formatDuration, formatPercent, shortId } from "@/lib/format/bytes";
import type { ComparisonRow } from "@/lib/analysis/comparison-metrics";

export type ComparisonTableRow = ComparisonRow & { smokeError: string | null; baselineHref: string; isSmallestRunning: boolean };

const deltaClass = (delta: number | null) => (delta === null || delta === 0 ? "" : delta < 0 ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300");

export const ComparisonTable = ({ rows }: { rows: ComparisonTableRow[] }) => (
  <Table look="list" caption="Builds compared side by side; deltas are against the baseline build." className="min-w-[56rem]" data-testid="comparison-table">
    <thead>
      <tr>
        <th scope="col">Variant</th>
        <th scope="col">Status</th>
        <th scope="col" className="text-right">Size</th>
        <th scope="col" className="text-right">vs baseline</th>
        <th scope="col">Runs</th>
        <th scope="col" className="text-right">Layers</th>
        <th scope="col" className="text-right">Duration</th>
        <th scope="col" className="text-right">Cache hits</th>
        <th scope="col"><span className="sr-only">Actions</span></th>
      </tr>
    </thead>
    <tbody>
      {rows.map(({ build, size, deltaBytes, deltaPct, isBaseline, isSmallest, isSmallestRunning, smokeError, baselineHref }) => {
        const active = build.status === "RUNNING" || build.status === "QUEUED";
        return (
          <tr
            key={build.id}
            data-testid="comparison-row"
            data-variant={build.variantName}
            data-strategy={build.strategy}
            data-size={size ?? undefined}
            data-smallest={isSmallest || undefined}
            data-runs={build.runs ?? undefined}
            className={isSmallest ? (build.runs === false ? "bg-amber-50 dark:bg-amber-950/40" : "bg-emerald-50 dark:bg-emerald-950/40") : undefined}
          >
            <td className="align-top">
              <VariantChip name={build.variantName} strategy={build.strategy} />
              <div className="mt-1 font-mono text-xs">
                <Link href={`/builds/${build.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                  build {shortId(build.id, 10)}
                </Link>
              </div>
            </td>
            <td className="align-top">
              <StatusBadge status={build.status} />
              {active && (
                <div className="mt-1 w-32">
                  <ProgressBar done={build.stepsDone} total={build.stepsTotal} label={`${build.variantName} progress`} />
                </div>
              )}
              {build.status !== "SUCCEEDED" && build.error && !active && <p className="mt-1 max-w-56 break-words text-xs text-red-700 dark:text-red-300">{build.error}</p>}
            </td>
            <td className="text-right align-top">
              <Bytes value={size} className={isSmallest ? "font-semibold" : ""} />
              {isSmallest &&
                (build.runs === false ? (
                  <div className="text-xs font-medium text-amber-800 dark:text-amber-200">smallest, but does not run</div>
                ) : (
                  <div className="text-xs font-medium text-emerald-700 dark:text-emerald-300">smallest</div>
                ))}
              {isSmallestRunning && !isSmallest && <div className="text-xs font-medium text-emerald-700 dark:text-emerald-300">smallest that runs</div>}
              {build.buildImageSize !== null && (
                <div className="text-xs text-slate-500 dark:text-slate-400">
                  build image <Bytes value={build.buildImageSize} />
                </div>
              )}
            </td>
            <td className={`text-right align-top tabular-nums ${deltaClass(deltaBytes)}`}>
              {isBaseline ? (
                <span className="text-xs font-medium text-slate-500">baseline</span>
              ) : (
                <>
                  <div>{formatDelta(deltaBytes)}</div>
                  <div className="text-xs">{formatPercent(deltaPct)}</div>
                </>
              )}
            </td>
            <td className="align-top">
              {build.runs === null ? <span className="text-slate-400">—</span> : <RunsBadge runs={build.runs} />}
              {smokeError && (
                <p className="mt-1 max-w-72 break-words font-mono text-xs text-red-700 dark:text-red-300" data-testid="smoke-error">
                  {smokeError}
                </p>
              )}
            </td>
            <td className="text-right align-top tabular-nums">{build.layerCount ?? "—"}</td>
            <td className="text-right align-top tabular-nums">{formatDuration(build.durationMs)}</td>
            <td className="text-right align-top tabular-nums">{build.stepsTotal ? `${build.cachedSteps}/${build.stepsTotal}` : "—"}</td>
            <td className="text-right align-top">
              {!isBaseline && size !== null && (
                <Link href={baselineHref} scroll={false} className="whitespace-nowrap text-xs text-indigo-700 hover:underline focus-visible:outline-2 dark:text-indigo-300">
                  Use as baseline
                </Link>
              )}
            </td>
          </tr>
        );
      })}
    </tbody>
  </Table>
);
