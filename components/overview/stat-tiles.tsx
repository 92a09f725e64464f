// The overview's headline numbers. Each subtitle covers the same period as its tile (issue 13).
import type { OverviewCounts } from "@/lib/data/charts";

export const StatTiles = ({ counts }: { counts: OverviewCounts }) => {
  const tiles = [
    { label: "Projects", value: counts.projects, hint: `${counts.variants} variants` },
    { label: "Building now", value: counts.byStatus.RUNNING, hint: `${counts.byStatus.QUEUED} queued` },
    { label: "Builds in 24 h", value: counts.buildsLastDay, hint: `${counts.succeededLastDay} of them succeeded` },
    { label: "Failed in 7 days", value: counts.failuresLastWeek, hint: `and ${counts.doesNotRunLastWeek} built in 7 days but do not run`, alert: counts.failuresLastWeek + counts.doesNotRunLastWeek > 0 },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {tiles.map((t) => (
        <div key={t.label} className="rounded-xl border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
          <dt className="text-xs text-slate-500 dark:text-slate-400">{t.label}</dt>
          <dd className={`text-2xl font-semibold tabular-nums ${t.alert ? "text-red-700 dark:text-red-300" : ""}`}>{t.value}</dd>
          <dd className="text-xs text-slate-500 dark:text-slate-400">{t.hint}</dd>
        </div>
      ))}
    </dl>
  );
};
