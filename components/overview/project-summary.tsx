// One project on the overview: its variants as coloured chips with the latest size, whether
// that image runs, and a sparkline of the last successful sizes.
import Link from "next/link";
import { Bytes } from "@/components/ui/bytes";
import { Sparkline } from "@/components/charts/sparkline";
import { formatBytes } from "@/lib/format/bytes";
import type { Strategy } from "@/lib/types";

export type VariantSummary = { id: string; name: string; strategy: Strategy; color: string; sizes: number[]; latestBuildId: string | null; runs: boolean | null };

type Props = { id: string; name: string; description: string; variants: VariantSummary[] };

export const ProjectSummary = ({ id, name, description, variants }: Props) => (
  <article className="py-3" data-testid="project-summary">
    <h3 className="font-medium">
      <Link href={`/projects/${id}`} className="text-indigo-700 hover:underline focus-visible:outline-2 dark:text-indigo-300">
        {name}
      </Link>
    </h3>
    {description && <p className="mt-0.5 line-clamp-2 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{description}</p>}
    {variants.length === 0 ? (
      <p className="mt-2 text-sm text-slate-500">No variants yet.</p>
    ) : (
      <ul className="mt-2 flex flex-wrap gap-2">
        {variants.map((v) => {
          const latest = v.sizes.at(-1) ?? null;
          return (
            <li key={v.id} className="flex items-center gap-2 rounded-lg border border-slate-200 px-2 py-1 text-xs dark:border-slate-700">
              <span aria-hidden="true" className="h-2.5 w-2.5 shrink-0 rounded-full" style={{ backgroundColor: v.color }} />
              <span className="font-medium">{v.name}</span>
              {latest === null ? (
                <span className="text-slate-400">not built</span>
              ) : (
                <>
                  {v.latestBuildId ? (
                    <Link href={`/builds/${v.latestBuildId}`} className="hover:underline focus-visible:outline-2" aria-label={`${v.name}: latest build, ${formatBytes(latest)}`}>
                      <Bytes value={latest} />
                    </Link>
                  ) : (
                    <Bytes value={latest} />
                  )}
                  {v.runs === false && <span className="rounded bg-red-600 px-1 font-semibold text-white">does not run</span>}
                </>
              )}
              <Sparkline sizes={v.sizes} color={v.color} label={`${v.name}: last ${v.sizes.length} sizes, from ${formatBytes(v.sizes[0])} to ${formatBytes(latest)}`} />
            </li>
          );
        })}
      </ul>
    )}
  </article>
);
