import Link from "next/link";
import { formatTimeAgo } from "@/lib/format/date";
import { findBuilds, getBuild } from "@/lib/data/builds";
import { findComparisons, getComparison } from "@/lib/data/comparisons";
import { findProjects } from "@/lib/data/projects";
import { nullIfNotFound } from "@/lib/data/not-found";
import { computeComparisonMetrics, type ComparisonMetrics } from "@/lib/analysis/comparison-metrics";
import { diffLayers } from "@/lib/builds/layer-diff";
import { STRATEGY_COLORS } from "@/components/ui/palette";
import { buildCompareHref, chooseDiffPair, MAX_PICKED_BUILDS, parseCompareParams, type CompareParams } from "@/lib/compare/compare-params";
import { shapeSizeComparison } from "@/lib/compare/shape-size-comparison";
import { formatBytes, shortId } from "@/lib/format/bytes";
import { isFinished, type BuildDetailDto, type BuildSummaryDto } from "@/lib/types";
import { Card } from "@/components/ui/card";
import { ComparisonPullCost } from "@/components/compare/comparison-pull-cost";
import { findComparisonPullCost } from "@/lib/data/pull-views";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { AutoRefresh } from "@/components/compare/auto-refresh";
import { ComparisonTable } from "@/components/compare/comparison-table";
import { LayerDiffTable } from "@/components/compare/layer-diff-table";
import { DiffPicker } from "@/components/compare/diff-picker";
import { BuildPicker } from "@/components/compare/build-picker";
import { pickSmokeErrorLine } from "@/components/compare/smoke-error-line";
import { SizeComparisonChart } from "@/components/charts/size-comparison-chart";
import { SharePanel } from "@/components/reports/share-panel";
import { getCurrentActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { ContentDiffView } from "@/components/content/content-diff-view";
import { PackageMatrixTable } from "@/components/content/package-matrix-table";
import { findComparisonContent } from "./find-content";

export const metadata = { title: "Compare" };

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

type CompareView = {
  title: string;
  projectId: string | null;
  projectName: string | null;
  revision: string | null;
  createdAt: string | null;
  builds: BuildSummaryDto[];
  metrics: ComparisonMetrics;
  missing: number;
};

// The comparison or the chosen builds; an error to show when they do not exist; null when
// nothing was chosen (the page shows the picker).
const findView = async (params: CompareParams): Promise<CompareView | { error: string } | null> => {
  if (params.comparisonId) {
    const comparison = await nullIfNotFound(getComparison(params.comparisonId, params.baselineId));
    if (!comparison) return { error: `There is no comparison ${params.comparisonId}. It may have been deleted with its project.` };
    return {
      title: `Comparison of ${comparison.projectName}`,
      projectId: comparison.projectId,
      projectName: comparison.projectName,
      revision: comparison.contextRevision,
      createdAt: comparison.createdAt,
      builds: comparison.builds,
      metrics: comparison.metrics,
      missing: 0,
    };
  }
  if (params.buildIds.length) {
    const builds = await findBuilds({ ids: params.buildIds, limit: MAX_PICKED_BUILDS });
    if (!builds.length) return { error: "None of the chosen builds exist." };
    const projects = [...new Set(builds.map((b) => b.projectName))];
    return {
      title: `${builds.length} chosen builds`,
      projectId: projects.length === 1 ? builds[0].projectId : null,
      projectName: projects.length === 1 ? projects[0] : null,
      revision: null,
      createdAt: null,
      builds,
      metrics: computeComparisonMetrics(builds, params.baselineId),
      missing: params.buildIds.length - builds.length,
    };
  }
  return null;
};

// Layers and smoke output of finished builds (a build deleted meanwhile is left out); a
// comparison holds a handful of builds.
const findBuildDetails = async (builds: BuildSummaryDto[]) => {
  const finished = builds.filter((b) => isFinished(b.status));
  const details = await Promise.all(finished.map((b) => nullIfNotFound(getBuild(b.id))));
  return new Map(details.filter((d): d is BuildDetailDto => d !== null).map((d) => [d.id, d]));
};

const keepParams = (params: CompareParams): Record<string, string> => {
  const keep: Record<string, string> = {};
  if (params.comparisonId) keep.comparison = params.comparisonId;
  else if (params.buildIds.length) keep.builds = params.buildIds.join(",");
  if (params.baselineId) keep.baseline = params.baselineId;
  return keep;
};

const Picker = async ({ params, projectId }: { params: CompareParams; projectId: string | null }) => {
  const projects = await findProjects();
  if (!projects.length) return <EmptyState title="No projects yet">Create a project in Settings first.</EmptyState>;
  const project = projects.find((p) => p.id === (params.projectId ?? projectId)) ?? projects[0];
  const [recent, comparisons] = await Promise.all([findBuilds({ projectId: project.id, status: "SUCCEEDED", limit: 30 }), findComparisons(project.id, 10)]);
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-3 lg:col-span-2">
        <form method="get" action="/compare" className="flex flex-wrap items-end gap-2 text-sm">
          <label className="flex flex-col gap-1">
            <span className="text-xs text-slate-500 dark:text-slate-400">Project</span>
            <select name="project" defaultValue={project.id} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900">
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
            Show builds
          </button>
        </form>
        {recent.length < 2 ? (
          <EmptyState title="Fewer than two successful builds in this project">
            <Link href={`/projects/${project.id}`} className="underline">
              Open the project
            </Link>{" "}
            and compare all variants.
          </EmptyState>
        ) : (
          <BuildPicker
            key={project.id}
            max={MAX_PICKED_BUILDS}
            initial={params.buildIds}
            builds={recent.map((b) => ({
              id: b.id,
              label: b.variantName,
              color: STRATEGY_COLORS[b.strategy],
              detail: `${formatBytes(b.totalSize)} · ${b.runs === false ? "does not run · " : ""}${shortId(b.id, 8)} · ${b.finishedAt ? formatTimeAgo(b.finishedAt) : ""}`,
            }))}
          />
        )}
      </div>
      <div>
        <h3 className="mb-2 text-sm font-medium">Recent comparisons of {project.name}</h3>
        {comparisons.length === 0 ? (
          <p className="text-sm text-slate-500">None yet.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {comparisons.map((c) => (
              <li key={c.id}>
                <Link href={`/compare?comparison=${c.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                  {formatTimeAgo(c.createdAt)}
                </Link>
                {c.contextRevision && <span className="ml-2 font-mono text-xs text-slate-500">{shortId(c.contextRevision, 10)}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
};

export default async function ComparePage({ searchParams }: PageProps) {
  const params = parseCompareParams(await searchParams);
  const view = await findView(params);

  if (view === null) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">Compare</h1>
        <Card title="Pick builds to compare">
          <Picker params={params} projectId={null} />
        </Card>
      </div>
    );
  }
  if ("error" in view) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">Compare</h1>
        <ErrorState title="Nothing to compare" message={view.error} />
        <Link href="/compare" className="text-sm underline">
          Pick builds instead
        </Link>
      </div>
    );
  }

  const details = await findBuildDetails(view.builds);
  const doneCount = view.builds.filter((b) => isFinished(b.status)).length;
  // The smallest size alone can be a broken image (venv --copies): name the smallest that starts too.
  const runningSizes = view.metrics.rows.filter((r) => r.size !== null && r.build.runs === true).map((r) => r.size!);
  const smallestRunning = runningSizes.length ? Math.min(...runningSizes) : null;
  const rows = view.metrics.rows.map((row) => ({
    ...row,
    isSmallestRunning: row.build.runs === true && row.size === smallestRunning,
    smokeError: pickSmokeErrorLine(details.get(row.build.id)?.smoke ?? null),
    baselineHref: buildCompareHref(params, { baselineId: row.build.id }),
  }));
  const bars = shapeSizeComparison(view.metrics.rows.map((r) => r.build));
  const diffable = view.metrics.rows.map((r) => r.build).filter((b) => (details.get(b.id)?.layers.length ?? 0) > 0);
  const pair = chooseDiffPair(params.diff, diffable.map((b) => b.id));
  const labelOf = (id: string) => {
    const build = view.builds.find((b) => b.id === id)!;
    return `${build.variantName} (${shortId(build.id, 8)})`;
  };
  const baseline = view.builds.find((b) => b.id === view.metrics.baselineBuildId);
  const content = await findComparisonContent(view.metrics.rows.map((r) => r.build), view.metrics.baselineBuildId);
  // Issue 17: together vs separately, once every successful build has compressed sizes.
  const succeededIds = view.builds.filter((b) => b.status === "SUCCEEDED").map((b) => b.id);
  const pullCost = succeededIds.length >= 2 ? await findComparisonPullCost(succeededIds) : null;

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{view.title}</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            {view.projectId && view.projectName && (
              <Link href={`/projects/${view.projectId}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                {view.projectName}
              </Link>
            )}
            {view.createdAt && <> · started {formatTimeAgo(view.createdAt)}</>}
            {view.revision && <> · revision <span className="font-mono">{shortId(view.revision, 12)}</span></>}
            {baseline && <> · baseline {baseline.variantName}</>}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <p className="text-sm tabular-nums" data-testid="comparison-progress" data-done={view.metrics.done}>
            {doneCount} of {view.builds.length} builds finished
          </p>
          <AutoRefresh active={!view.metrics.done} label="Builds are running; this page refreshes every 3 s." />
        </div>
      </header>

      {view.missing > 0 && <ErrorState title="Some builds were not found" message={`${view.missing} of the chosen builds do not exist and are left out.`} />}

      <Card title="Side by side">
        <ComparisonTable rows={rows} />
      </Card>

      <Card title="Size: base image and own layers">
        {bars.length === 0 ? <EmptyState title="No sizes yet">Sizes appear as builds finish.</EmptyState> : <SizeComparisonChart bars={bars} />}
      </Card>

      <Card title="Pull cost">
        {pullCost ? (
          <ComparisonPullCost cost={pullCost} count={succeededIds.length} />
        ) : (
          <EmptyState title="No pull cost yet">It needs two successful builds with compressed sizes (pushed, or estimated by the content analysis).</EmptyState>
        )}
      </Card>

      <Card title="Layer diff">
        {pair ? (
          <div className="space-y-4">
            <DiffPicker options={diffable.map((b) => ({ id: b.id, label: labelOf(b.id) }))} selected={pair} keep={keepParams(params)} />
            <LayerDiffTable diff={diffLayers(details.get(pair[0])!.layers, details.get(pair[1])!.layers)} labelA={labelOf(pair[0])} labelB={labelOf(pair[1])} />
          </div>
        ) : (
          <EmptyState title="Two finished builds with layers are needed for a diff">{view.metrics.done ? "These builds recorded no layers." : "Waiting for builds to finish."}</EmptyState>
        )}
      </Card>

      <Card title={baseline ? `Contents against the baseline (${baseline.variantName})` : "Contents"}>
        <div data-testid="comparison-content" data-analysed={content.analysed} data-pending={content.pending}>
          {content.pending > 0 && <AutoRefresh active={view.metrics.done} label={`Analysing the contents of ${content.pending} image${content.pending === 1 ? "" : "s"}; this page refreshes every 3 s.`} />}
          {content.diffs.length === 0 ? (
            <EmptyState title="No content diff yet">Content diffs appear once two successful builds have been analysed.</EmptyState>
          ) : (
            <div className="space-y-3">
              {content.diffs.map((d, i) => (
                <details key={d.buildId} open={i === 0} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="comparison-content-diff" data-build={d.buildId}>
                  <summary className="cursor-pointer text-sm font-medium">
                    {labelOf(d.buildId)}
                    {d.diff ? ` · ${formatBytes(Math.abs(d.diff.totals.delta))} ${d.diff.totals.delta <= 0 ? "smaller" : "larger"} in files` : ` · ${d.message}`}
                  </summary>
                  <div className="mt-3">
                    {d.diff ? <ContentDiffView diff={d.diff} labelA={labelOf(content.baselineId!)} labelB={labelOf(d.buildId)} /> : <p className="text-sm text-slate-500">{d.message}</p>}
                  </div>
                </details>
              ))}
            </div>
          )}
        </div>
      </Card>

      <Card title="Packages by build">
        {content.matrix.rows.length ? (
          <PackageMatrixTable matrix={content.matrix} labels={Object.fromEntries(view.builds.map((b) => [b.id, b.variantName]))} />
        ) : (
          <EmptyState title="No packages yet">The package matrix appears once builds have been analysed.</EmptyState>
        )}
      </Card>

      {params.comparisonId && view.metrics.done && (
        <SharePanel kind="comparison" id={params.comparisonId} canShare={hasRole((await getCurrentActor())?.role ?? "VIEWER", "BUILDER")} />
      )}

      <details className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <summary className="cursor-pointer text-base font-semibold">Pick other builds</summary>
        <div className="mt-3">
          <Picker params={params} projectId={view.projectId} />
        </div>
      </details>
    </div>
  );
}
