// Recent builds of a project: status, variant, size, whether it runs, when.
import Link from "next/link";
import { formatTimeAgo } from "@/lib/format/date";
import { Bytes } from "@/components/ui/bytes";
import { RunsBadge, StatusBadge } from "@/components/ui/status-badge";
import { VariantChip } from "@/components/projects/variant-chip";
import { ProgressBar } from "@/components/overview/progress-bar";
import { formatDuration, shortId } from "@/lib/format/bytes";
import type { BuildSummaryDto } from "@/lib/types";

export const RecentBuildsList = ({ builds }: { builds: BuildSummaryDto[] }) => (
  <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="recent-builds">
    {builds.map((b) => (
      <li key={b.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
        <Link href={`/builds/${b.id}`} className="font-mono text-xs text-indigo-700 hover:underline focus-visible:outline-2 dark:text-indigo-300">
          {shortId(b.id, 10)}
        </Link>
        <VariantChip name={b.variantName} strategy={b.strategy} />
        <StatusBadge status={b.status} />
        {b.status === "RUNNING" || b.status === "QUEUED" ? (
          <span className="w-40">
            <ProgressBar done={b.stepsDone} total={b.stepsTotal} label={`${b.variantName} progress`} />
          </span>
        ) : (
          <>
            <Bytes value={b.totalSize} />
            <RunsBadge runs={b.runs} />
            <span className="text-xs text-slate-500 dark:text-slate-400">{formatDuration(b.durationMs)}</span>
          </>
        )}
        <time dateTime={b.queuedAt} className="ml-auto text-xs text-slate-500 dark:text-slate-400" title={b.queuedAt}>
          {formatTimeAgo(b.queuedAt)}
        </time>
      </li>
    ))}
  </ul>
);
