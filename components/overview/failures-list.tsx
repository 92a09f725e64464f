// Recent failed or interrupted builds with the reason on one line.
import Link from "next/link";
import { formatTimeAgo } from "@/lib/format/date";
import { StatusBadge } from "@/components/ui/status-badge";
import { VariantChip } from "@/components/projects/variant-chip";
import type { BuildSummaryDto } from "@/lib/types";

export const FailuresList = ({ builds }: { builds: BuildSummaryDto[] }) => (
  <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="recent-failures">
    {builds.map((b) => (
      <li key={b.id} className="py-2 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/builds/${b.id}`} className="font-medium text-indigo-700 hover:underline focus-visible:outline-2 dark:text-indigo-300">
            {b.projectName}
          </Link>
          <VariantChip name={b.variantName} strategy={b.strategy} />
          <StatusBadge status={b.status} />
          {b.finishedAt && (
            <time dateTime={b.finishedAt} className="ml-auto text-xs text-slate-500 dark:text-slate-400">
              {formatTimeAgo(b.finishedAt)}
            </time>
          )}
        </div>
        {b.error && <p className="mt-1 line-clamp-2 break-words font-mono text-xs text-red-700 dark:text-red-300">{b.error}</p>}
      </li>
    ))}
  </ul>
);
