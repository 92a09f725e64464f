// On-disk or compressed size in the history chart (issue 17), as two links that keep the
// choice in the URL (`?size=compressed`) with the other filters.
import Link from "next/link";
import { buildHistoryQuery, type HistoryParams } from "@/lib/history/history-params";

export const SizeBasisToggle = ({ basePath, params }: { basePath: string; params: HistoryParams }) => (
  <nav aria-label="Size shown" className="inline-flex overflow-hidden rounded-md border border-slate-300 text-xs dark:border-slate-700">
    {([
      [undefined, "On disk"],
      ["compressed", "Compressed"],
    ] as const).map(([basis, label]) => {
      const current = params.sizeBasis === basis;
      return (
        <Link
          key={label}
          href={`${basePath}${buildHistoryQuery({ ...params, sizeBasis: basis })}`}
          aria-current={current ? "page" : undefined}
          scroll={false}
          className={`px-2 py-0.5 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 ${current ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
        >
          {label}
        </Link>
      );
    })}
  </nav>
);
