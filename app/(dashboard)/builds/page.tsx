// Every build across projects: filters and search in the URL query (parsed by zod; a bad
// value is a message, not a crash), paged on the server newest first (keyset cursor).
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { findProjects } from "@/lib/data/projects";
import { searchBuilds } from "@/lib/data/build-search";
import { buildSearchSchema, BUILD_PAGE_SIZE, FILTER_KEYS, toBuildSearchParams, type BuildFilterValues } from "@/lib/validations/build-search";
import { Card } from "@/components/ui/card";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { secondaryButtonClass } from "@/components/ui/styles";
import { BuildFilters } from "@/components/builds/build-filters";
import { BuildsTable } from "@/components/builds/builds-table";

export const metadata = { title: "Builds" };

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Repeated keys (?status=a&status=b) keep the first value, as URLSearchParams.get does.
const firstValues = (query: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));

export default async function BuildsPage({ searchParams }: PageProps) {
  const [query, _actor, projects] = await Promise.all([searchParams, requirePageActor(), findProjects()]);
  const raw = firstValues(query);
  const values: BuildFilterValues = Object.fromEntries(FILTER_KEYS.filter((key) => typeof raw[key] === "string").map((key) => [key, raw[key]]));
  const parsed = buildSearchSchema.safeParse(raw);
  const filterProjects = projects.map((p) => ({ id: p.id, name: p.name, variants: p.variants.map((v) => ({ id: v.id, name: v.name })) }));
  const filtered = FILTER_KEYS.some((key) => values[key]);

  const result = parsed.success ? await searchBuilds({ ...parsed.data, limit: Math.min(parsed.data.limit ?? BUILD_PAGE_SIZE, 100) }) : null;
  const limitParam = parsed.success && parsed.data.limit ? String(Math.min(parsed.data.limit, 100)) : undefined;

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Builds</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">Every build of every project, newest first. The filters are in the address: copy it to share them.</p>
      </header>

      <Card>
        <BuildFilters projects={filterProjects} values={values} />
      </Card>

      {!parsed.success ? (
        <div data-testid="filter-error" className="space-y-3">
          <ErrorState
            title="These filters cannot be read"
            message={parsed.error.issues.map((issue) => `${issue.path.join(".") || "filters"}: ${issue.message}`).join("\n")}
          />
          <Link href="/builds" className={secondaryButtonClass}>
            Clear the filters
          </Link>
        </div>
      ) : result!.builds.length === 0 ? (
        <EmptyState title={parsed.data.cursor ? "No older builds" : filtered ? "No build matches these filters" : "No builds yet"}>
          {filtered ? (
            <Link href="/builds" className="text-indigo-700 hover:underline dark:text-indigo-300">
              Show every build
            </Link>
          ) : (
            "Builds appear here once a variant is built."
          )}
        </EmptyState>
      ) : (
        <Card>
          <BuildsTable builds={result!.builds} />
          <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className="text-slate-500 dark:text-slate-400" data-testid="page-summary">
              {result!.builds.length} build{result!.builds.length === 1 ? "" : "s"}
              {parsed.data.cursor ? " (older page)" : ""}
            </span>
            <span className="flex gap-2">
              {parsed.data.cursor && (
                <Link href={`/builds?${toBuildSearchParams(values, { limit: limitParam })}`} className={secondaryButtonClass} data-testid="newest-page">
                  ← Newest
                </Link>
              )}
              {result!.nextCursor && (
                <Link
                  href={`/builds?${toBuildSearchParams(values, { limit: limitParam, cursor: result!.nextCursor })}`}
                  className={secondaryButtonClass}
                  data-testid="older-page"
                  rel="next"
                >
                  Older →
                </Link>
              )}
            </span>
          </nav>
        </Card>
      )}
    </div>
  );
}
