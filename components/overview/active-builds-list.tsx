// Builds running or waiting for a worker, with their progress.
import Link from "next/link";
import { formatTimeAgo } from "@/lib/format/date";
import { StatusBadge } from "@/components/ui/status-badge";
import { VariantChip } from "@/components/projects/variant-chip";
import { ProgressBar } from "@/components/overview/progress-bar";
import type { BuildSummaryDto } from "@/lib/types";

export const ActiveBuildsList = ({ builds }: { builds: BuildSummaryDto[] }) => (
  <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="active-builds">
    {builds.map((b) => (
      <li key={b.id} className="grid grid-cols-1 gap-1 py-2 text-sm sm:grid-cols-[minmax(0,1fr)_12rem] sm:items-center sm:gap-4">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <Link href={`/builds/${b.id}`} className="font-medium text-indigo-700 hover:underline focus-visible:outline-2 dark:text-indigo-300">
            {b.projectName}
          </Link>
          <VariantChip name={b.variantName} strategy={b.strategy} />
          <StatusBadge status={b.status} />
          <span className="text-xs text-slate-500 dark:text-slate-400">
            {b.startedAt ? `started ${formatTimeAgo(b.startedAt)}` : `queued ${formatTimeAgo(b.queuedAt)}`}
          </span>
        </div>
        <ProgressBar done={b.stepsDone} total={b.stepsTotal} label={`${b.projectName} ${b.variantName} progress`} />
      </li>
    ))}
  </ul>
);
