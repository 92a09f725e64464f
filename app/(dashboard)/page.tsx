import Link from "next/link";
import { findProjects } from "@/lib/data/projects";
import { findBuilds } from "@/lib/data/builds";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { StatusBadge, RunsBadge } from "@/components/ui/status-badge";
import { Bytes } from "@/components/ui/bytes";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const [projects, active, failures] = await Promise.all([
    findProjects(),
    findBuilds({ status: ["RUNNING", "QUEUED"], limit: 20 }),
    findBuilds({ status: ["FAILED", "INTERRUPTED"], limit: 5 }),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Overview</h1>
      <Card title="Projects">
        {projects.length === 0 ? (
          <EmptyState title="No projects yet" />
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {projects.map((p) => (
              <li key={p.id} className="py-2">
                <Link href={`/projects/${p.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {p.name}
                </Link>
                <span className="ml-2 text-sm text-slate-500">{p.variants.length} variants</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Running and queued">
        {active.length === 0 ? (
          <EmptyState title="Nothing is building" />
        ) : (
          <ul>
            {active.map((b) => (
              <li key={b.id}>
                <Link href={`/builds/${b.id}`}>{b.variantName}</Link> <StatusBadge status={b.status} />
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Recent failures">
        {failures.length === 0 ? (
          <EmptyState title="No recent failures" />
        ) : (
          <ul>
            {failures.map((b) => (
              <li key={b.id}>
                <Link href={`/builds/${b.id}`}>{b.variantName}</Link> <StatusBadge status={b.status} /> <Bytes value={b.totalSize} /> <RunsBadge runs={b.runs} />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
