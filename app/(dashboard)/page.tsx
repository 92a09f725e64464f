import { findProjects } from "@/lib/data/projects";
import { findBuilds } from "@/lib/data/builds";
import { findLatestSizes, getOverviewCounts } from "@/lib/data/charts";
import { assignSeriesColors } from "@/components/ui/palette";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { StatTiles } from "@/components/overview/stat-tiles";
import { ProjectSummary } from "@/components/overview/project-summary";
import { ActiveBuildsList } from "@/components/overview/active-builds-list";
import { FailuresList } from "@/components/overview/failures-list";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const [projects, latest, counts, active, failures] = await Promise.all([
    findProjects(),
    findLatestSizes({ perVariant: 20 }),
    getOverviewCounts(),
    findBuilds({ status: ["RUNNING", "QUEUED"], limit: 20 }),
    findBuilds({ status: ["FAILED", "INTERRUPTED"], limit: 5 }),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Overview</h1>
      <StatTiles counts={counts} />
      <Card title="Projects">
        {projects.length === 0 ? (
          <EmptyState title="No projects yet">Create one in Settings, or start the app with the bundled example.</EmptyState>
        ) : (
          <div className="divide-y divide-slate-200 dark:divide-slate-800">
            {projects.map((p) => (
              <ProjectSummary
                key={p.id}
                id={p.id}
                name={p.name}
                description={p.description}
                variants={assignSeriesColors(p.variants).map((s) => {
                  const points = latest.get(s.id) ?? [];
                  return { id: s.id, name: s.name, strategy: s.strategy, color: s.color, sizes: points.map((pt) => pt.totalSize), latestBuildId: points.at(-1)?.buildId ?? null, runs: points.at(-1)?.runs ?? null };
                })}
              />
            ))}
          </div>
        )}
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Running and queued">{active.length === 0 ? <EmptyState title="Nothing is building" /> : <ActiveBuildsList builds={active} />}</Card>
        <Card title="Recent failures">{failures.length === 0 ? <EmptyState title="No recent failures" /> : <FailuresList builds={failures} />}</Card>
      </div>
    </div>
  );
}
