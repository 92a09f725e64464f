// Time or commits on the history's x-axis (issue 15), as links that keep the choice in the URL.
import Link from "next/link";
import { buildHistoryQuery, type HistoryParams } from "@/lib/history/history-params";
import { axisQuery, HISTORY_AXES, type HistoryAxis } from "@/lib/history/history-axis";

const LABELS: Record<HistoryAxis, string> = { time: "By time", commits: "By commit" };

export const HistoryAxisToggle = ({ basePath, params, axis }: { basePath: string; params: HistoryParams; axis: HistoryAxis }) => (
  <nav aria-label="X-axis" className="inline-flex overflow-hidden rounded-md border border-slate-300 text-sm dark:border-slate-700" data-testid="history-axis">
    {HISTORY_AXES.map((value) => (
      <Link
        key={value}
        href={`${basePath}${buildHistoryQuery(params, axisQuery(value))}`}
        aria-current={axis === value ? "page" : undefined}
        scroll={false}
        className={`px-2.5 py-1 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 ${axis === value ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
      >
        {LABELS[value]}
      </Link>
    ))}
  </nav>
);
