import { cache } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatTimeAgo } from "@/lib/format/date";
import { getProject } from "@/lib/data/projects";
import { findBuilds } from "@/lib/data/builds";
import { findComparisons } from "@/lib/data/comparisons";
import { findLatestSizes, findSizeHistory } from "@/lib/data/charts";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { nullIfNotFound } from "@/lib/data/not-found";
import { parseHistoryParams, rangeStart } from "@/lib/history/history-params";
import { findBudgetLines, pivotHistory } from "@/lib/history/shape-size-history";
import { assignSeriesColors } from "@/components/ui/palette";
import { shortId } from "@/lib/format/bytes";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { SizeHistoryChart } from "@/components/charts/size-history-chart";
import { DurationHistoryChart } from "@/components/charts/duration-history-chart";
import { HistoryMarkerKey } from "@/components/charts/history-line-chart";
import { HistoryFilters } from "@/components/projects/history-filters";
import { SizeBasisToggle } from "@/components/projects/size-basis-toggle";
import { findCompressedSizes } from "@/lib/data/compressed-history";
import { ActionButton } from "@/components/projects/action-button";
import { RecentBuildsList } from "@/components/projects/recent-builds-list";
import { VariantsTable } from "@/components/projects/variants-table";
import { buildVariantAction, compareAllAction } from "./actions";
// Issue 15: backfill, commits on the chart, regressions named.
import { changeBackfillAction, startBackfillAction } from "./backfill-actions";
import { findBackfills, getBackfill } from "@/lib/data/backfills";
import { findCommitHistory, nameRegressions } from "@/lib/data/commit-history";
import { findRegressions } from "@/lib/history/find-regressions";
import { axisQuery, parseHistoryAxis } from "@/lib/history/history-axis";
import { shapeCommitHistory } from "@/lib/history/shape-commit-history";
import { CommitHistoryChart, CommitMarkerKey } from "@/components/charts/commit-history-chart";
import { BackfillForm } from "@/components/projects/backfill-form";
import { BackfillCard } from "@/components/projects/backfill-card";
import { RegressionsList } from "@/components/projects/regressions-list";
import { HistoryAxisToggle } from "@/components/projects/history-axis-toggle";
import type { ProjectDto } from "@/lib/types";
import { isDatabaseAnswering } from "@/lib/data/database-probe";
import { DATABASE_UNAVAILABLE_TITLE } from "@/components/ui/database-unavailable";

type PageProps = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

// One lookup per request for the metadata and the page; null when there is no such project.
const findProject = cache((id: string) => nullIfNotFound(getProject(id)));

export const generateMetadata = async ({ params }: PageProps) => {
  if (!(await isDatabaseAnswering())) return { title: DATABASE_UNAVAILABLE_TITLE };
  const { id } = await params;
  const project = await findProject(id);
  return { title: project?.name ?? "Project" };
};

const describeContext = (project: ProjectDto) => {
  if (project.contextKind === "GIT") return `git ${project.gitUrl ?? "?"}${project.gitRef ? ` @ ${project.gitRef}` : ""}`;
  if (project.contextKind === "ARCHIVE") return "uploaded archive";
  return `directory ${project.contextPath ?? "?"}`;
};

export default async function ProjectPage({ params, searchParams }: PageProps) {
  const [{ id }, query, actor] = await Promise.all([params, searchParams, requirePageActor()]);
  const project = (await findProject(id)) ?? notFound();
  const history = parseHistoryParams(query);
  const allSeries = assignSeriesColors(project.variants);
  const visibleIds = history.variantIds?.filter((vid) => allSeries.some((s) => s.id === vid)) ?? null;
  const series = visibleIds?.length ? allSeries.filter((s) => visibleIds.includes(s.id)) : allSeries;

  const [points, latest, builds, comparisons] = await Promise.all([
    findSizeHistory(project.id, { since: rangeStart(history.range), variantIds: series.map((s) => s.id) }),
    findLatestSizes({ projectId: project.id, perVariant: 1 }),
    findBuilds({ projectId: project.id, limit: 15 }),
    findComparisons(project.id, 10),
  ]);
  // Issue 17: `?size=compressed` charts the compressed size (builds without one drop out) and the compressed budgets.
  const compressed = history.sizeBasis === "compressed" ? await findCompressedSizes(points.map((point) => point.buildId)) : null;
  const sizePoints = compressed ? points.map((point) => ({ ...point, totalSize: compressed.get(point.buildId) ?? null })).filter((point) => point.totalSize !== null || point.status !== "SUCCEEDED") : points;
  const basisOf = (variantId: string) => project.variants.find((variant) => variant.id === variantId)?.budgetBasis ?? "DISK";
  // A budget is drawn and flagged only on the size it judges.
  const budgetSeries = series.map((s) => (basisOf(s.id) === (compressed ? "COMPRESSED" : "DISK") ? s : { ...s, sizeBudgetBytes: null }));
  const sizeRows = pivotHistory(sizePoints, budgetSeries, "size");
  const durationRows = pivotHistory(points, series, "duration");
  const canBuild = hasRole(actor.role, "BUILDER");
  const basePath = `/projects/${project.id}`;
  // Issue 15: commits as the x-axis, the regressions and the latest backfill (git projects).
  const axis = parseHistoryAxis(query.axis);
  const isGit = project.contextKind === "GIT";
  const regressionVariants = project.variants.map((v) => ({ id: v.id, name: v.name, regressionThresholdPct: v.regressionThresholdPct ?? null }));
  const [commitHistory, latestBackfill] = isGit
    ? await Promise.all([findCommitHistory(project.id), findBackfills(project.id, 1).then(([b]) => (b ? getBackfill(b.id) : null))])
    : [null, null];
  const regressions = commitHistory ? await nameRegressions(commitHistory, regressionVariants) : [];
  const commitRows = commitHistory && axis === "commits" ? shapeCommitHistory(commitHistory.commits, commitHistory.builds, series, findRegressions(commitHistory.commits, commitHistory.builds, regressionVariants), "size") : [];

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
            <Link href="/" className="hover:underline">
              Overview
            </Link>{" "}
            / project
          </nav>
          <h1 className="text-2xl font-semibold">{project.name}</h1>
          {project.description && <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-300">{project.description}</p>}
          <p className="mt-1 break-all font-mono text-xs text-slate-500 dark:text-slate-400" data-testid="project-context">
            {describeContext(project)}
          </p>
          {project.archivedAt && (
            <p role="status" className="mt-2 text-sm text-amber-800 dark:text-amber-300">
              Archived: history kept, no new builds.
            </p>
          )}
        </div>
        {canBuild ? (
          <ActionButton action={compareAllAction} fields={{ projectId: project.id }} label="Compare all variants" pendingLabel="Queueing builds…" />
        ) : (
          <p className="text-sm text-slate-500">Comparing needs the builder role.</p>
        )}
      </header>

      <Card
        title="Variants"
        actions={
          hasRole(actor.role, "ADMIN") && (
            <div className="flex flex-wrap justify-end gap-x-3 gap-y-1 text-sm">
              <Link href={`/setup/variant?project=${project.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                Add a variant
              </Link>
              <Link href={`/setup/templates?project=${project.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                Generate from templates
              </Link>
              <Link href={`/projects/${project.id}/settings`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                Settings: retention, registry, secrets, notifications, push
              </Link>
              <Link href={`/projects/${project.id}/manage`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                Edit, reorder or delete
              </Link>
            </div>
          )
        }
      >
        {project.variants.length === 0 ? (
          <EmptyState title="This project has no variants yet">An administrator can add one, or generate the four strategies from templates.</EmptyState>
        ) : (
          <VariantsTable project={project} series={allSeries} latest={latest} buildAction={canBuild ? buildVariantAction : null} />
        )}
      </Card>

      <Card title="History">
        <div className="space-y-4">
          <HistoryFilters basePath={basePath} params={{ ...history, variantIds: visibleIds?.length ? visibleIds : null }} series={allSeries} extra={axisQuery(axis)} />
          {isGit && <HistoryAxisToggle basePath={basePath} params={{ ...history, variantIds: visibleIds?.length ? visibleIds : null }} axis={axis} />}
          {axis === "commits" && isGit ? (
            commitRows.length === 0 ? (
              <EmptyState title="No builds at known commits yet">Backfill the last commits of a branch to draw the history by commit.</EmptyState>
            ) : (
              <section aria-labelledby="commit-history-heading">
                <h3 id="commit-history-heading" className="mb-1 text-sm font-medium">Image size per commit</h3>
                <CommitHistoryChart rows={commitRows} series={series} budgetLines={findBudgetLines(series)} />
                <CommitMarkerKey />
              </section>
            )
          ) : points.length === 0 ? (
            <EmptyState title="No finished builds in this range">
              {history.range === "all" ? "Build a variant or compare all variants to start the history." : <Link href={`${basePath}?range=all`} className="underline">Show all time</Link>}
            </EmptyState>
          ) : (
            <>
              <section aria-labelledby="size-history-heading">
                <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
                  <h3 id="size-history-heading" className="text-sm font-medium">{compressed ? "Compressed image size (what a pull downloads)" : "Image size on disk"}</h3>
                  <SizeBasisToggle basePath={basePath} params={{ ...history, variantIds: visibleIds?.length ? visibleIds : null }} />
                </div>
                <SizeHistoryChart rows={sizeRows} series={series} budgetLines={findBudgetLines(budgetSeries)} />
              </section>
              <section aria-labelledby="duration-history-heading">
                <h3 id="duration-history-heading" className="mb-1 text-sm font-medium">Build duration</h3>
                <DurationHistoryChart rows={durationRows} series={series} />
              </section>
              <HistoryMarkerKey />
            </>
          )}
        </div>
      </Card>

      {isGit && (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Regressions">
            {regressions.length === 0 ? (
              <EmptyState title="No regressions found">
                A commit is a regression when its image grows by more than the variant&apos;s threshold against its parent&apos;s build, or stops running.
              </EmptyState>
            ) : (
              <RegressionsList regressions={regressions} />
            )}
          </Card>
          <Card title="Backfill">
            <div className="space-y-4">
              {latestBackfill && <BackfillCard backfill={latestBackfill} projectId={project.id} action={canBuild ? changeBackfillAction : null} />}
              {canBuild ? (
                <BackfillForm projectId={project.id} defaultBranch={project.gitRef ?? "main"} action={startBackfillAction} />
              ) : (
                !latestBackfill && <p className="text-sm text-slate-500">Backfilling needs the builder role.</p>
              )}
            </div>
          </Card>
        </div>
      )}

      <div className="grid gap-6 lg:grid-cols-3">
        <Card
          title="Recent builds"
          className="lg:col-span-2"
          actions={
            <Link href={`/builds?projectId=${project.id}`} data-testid="all-builds-link" className="text-sm text-indigo-700 hover:underline focus-visible:outline-2 dark:text-indigo-300">
              All builds of this project →
            </Link>
          }
        >
          {builds.length === 0 ? <EmptyState title="No builds yet" /> : <RecentBuildsList builds={builds} />}
        </Card>
        <Card title="Recent comparisons">
          {comparisons.length === 0 ? (
            <EmptyState title="No comparisons yet">“Compare all variants” builds every variant from the same source.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="recent-comparisons">
              {comparisons.map((c) => (
                <li key={c.id} className="flex items-center justify-between gap-2 py-2">
                  <Link href={`/compare?comparison=${c.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                    {formatTimeAgo(c.createdAt)}
                  </Link>
                  <span className="font-mono text-xs text-slate-500">{c.contextRevision ? shortId(c.contextRevision, 10) : shortId(c.id, 10)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
