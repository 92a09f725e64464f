// The head of a setup page about one project: a link back to the project, the title, and what the page does.
import Link from "next/link";
import type { ReactNode } from "react";
import type { ProjectDto } from "@/lib/types";

export const ProjectSetupHeader = ({ project, title, children }: { project: Pick<ProjectDto, "id" | "name">; title: string; children: ReactNode }) => (
  <div>
    <p className="text-sm">
      <Link href={`/projects/${project.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
        ← {project.name}
      </Link>
    </p>
    <h1 className="text-2xl font-semibold">{title}</h1>
    {children}
  </div>
);
