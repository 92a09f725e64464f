// A setup page opened without ?project=: lists the projects as links back to that page.
import Link from "next/link";
import { findProjects } from "@/lib/data/projects";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";

export const ProjectPicker = async ({ title, path }: { title: string; path: string }) => {
  const projects = await findProjects();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <Card title="Which project?">
        {projects.length === 0 ? (
          <EmptyState title="No projects yet">
            <Link href="/setup/project" className="text-indigo-700 hover:underline dark:text-indigo-300">
              Create a project
            </Link>{" "}
            first.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {projects.map((project) => (
              <li key={project.id} className="py-2">
                <Link href={`${path}?project=${encodeURIComponent(project.id)}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {project.name}
                </Link>
                <span className="ml-2 font-mono text-xs text-slate-500">{project.slug}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
};
