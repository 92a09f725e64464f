// Time-range and variant filters for the history charts, as plain links that keep their
// state in the URL (`?range=7d&variants=a,b`): bookmarkable and keyboard reachable.
import Link from "next/link";
import { buildHistoryQuery, HISTORY_RANGES, toggleVariant, type HistoryParams } from "@/lib/history/history-params";
import type { HistorySeries } from "@/lib/history/shape-size-history";

const RANGE_LABELS = { "24h": "24 h", "7d": "7 days", "30d": "30 days", all: "All" } as const;

type Props = { basePath: string; params: HistoryParams; series: HistorySeries[]; extra?: Record<string, string | null> };

export const HistoryFilters = ({ basePath, params, series, extra = {} }: Props) => {
  const allIds = series.map((s) => s.id);
  const selected = new Set(params.variantIds ?? allIds);
  return (
    <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
      <nav aria-label="Time range" className="flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
        {HISTORY_RANGES.map((range) => {
          const current = params.range === range;
          return (
            <Link
              key={range}
              href={`${basePath}${buildHistoryQuery({ ...params, range }, extra)}`}
              aria-current={current ? "page" : undefined}
              scroll={false}
              className={`px-2.5 py-1 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 ${current ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
            >
              {RANGE_LABELS[range]}
            </Link>
          );
        })}
      </nav>
      <ul aria-label="Variants shown" className="flex flex-wrap gap-2">
        {series.map((s) => {
          const on = selected.has(s.id);
          return (
            <li key={s.id}>
              <Link
                href={`${basePath}${buildHistoryQuery(toggleVariant(params, s.id, allIds), extra)}`}
                aria-pressed={on}
                role="button"
                scroll={false}
                className={`inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-indigo-500 ${on ? "border-slate-400 dark:border-slate-500" : "border-dashed border-slate-300 text-slate-400 line-through dark:border-slate-700"}`}
              >
                <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: on ? s.color : "transparent", border: `2px solid ${s.color}` }} />
                {s.name}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
};
