// The project's regressions (issue 15), newest first: what grew or stopped running, at which
// commit, the layer that grew; linked to the layer diff (and the content diff where indexed)
// against the base build; resolved ones say by which commit.
import Link from "next/link";
import type { NamedRegression } from "@/lib/data/commit-history";

export const RegressionsList = ({ regressions }: { regressions: NamedRegression[] }) => (
  <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="regressions-list">
    {regressions.map((r) => (
      <li key={`${r.kind}-${r.variantId}-${r.sha}`} className="space-y-1 py-2" data-kind={r.kind} data-sha={r.sha} data-resolved={r.resolvedBy ? "yes" : "no"}>
        <p className="flex flex-wrap items-baseline gap-x-2">
          <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${r.resolvedBy ? "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200" : "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200"}`}>
            {r.resolvedBy ? "resolved" : "open"}
          </span>
          <span className="font-medium">{r.variantName}</span>
          <span className="min-w-0 break-words">{r.text}</span>
        </p>
        <p className="flex flex-wrap gap-x-3 text-xs text-slate-500 dark:text-slate-400">
          <Link href={r.layerDiffHref} className="text-indigo-700 underline dark:text-indigo-300">
            layer diff against {r.baseSha.slice(0, 7)}
          </Link>
          {r.contentDiffHref && (
            <a href={r.contentDiffHref} className="text-indigo-700 underline dark:text-indigo-300">
              content diff (JSON)
            </a>
          )}
          <Link href={`/builds/${r.buildId}`} className="underline">
            build
          </Link>
          {r.resolvedBy && (
            <span>
              resolved at{" "}
              <Link href={`/builds/${r.resolvedBy.buildId}`} className="font-mono underline">
                {r.resolvedBy.sha.slice(0, 7)}
              </Link>
            </span>
          )}
          <span>threshold {r.thresholdPct}%</span>
        </p>
      </li>
    ))}
  </ul>
);
