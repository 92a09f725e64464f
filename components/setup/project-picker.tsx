// Lists the projects as links to a setup page, for when it was opened without ?project=.
import Link from "next/link";
import type { ProjectDto } from "@/lib/types";
import { EmptyState } from "@/components/ui/states";

export const ProjectPicker = ({ projects, href }: { projects: ProjectDto[]; href: (project: ProjectDto) => string }) =>
  projects.length === 0 ? (
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
          <Link href={href(project)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            {project.name}
          </Link>
          <span className="ml-2 font-mono text-xs text-slate-500">{project.slug}</span>
        </li>
      ))}
    </ul>
  );
