// The start of every setup page about one project (?project=<id or slug>): administrators only,
// the project picker when no project was given, else the project (the 404 page for an unknown one).
import "server-only";
import type { ReactElement } from "react";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { AdminOnly } from "@/components/setup/admin-only";
import { ProjectPicker } from "@/components/setup/project-picker";
import type { ProjectDto } from "@/lib/types";
import { findProjectParam } from "./project-param";

export type ProjectSetupSearchParams = Promise<{ project?: string | string[] }>;

/** `what` completes "Only an administrator can …"; `title` heads the picker; `path` is the page's own. */
export const openProjectSetup = async (
  searchParams: ProjectSetupSearchParams,
  page: { what: string; title: string; path: string },
): Promise<{ project: ProjectDto; instead?: never } | { project?: never; instead: ReactElement }> => {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "ADMIN")) return { instead: <AdminOnly what={page.what} /> };
  const project = await findProjectParam((await searchParams).project);
  if (!project) return { instead: <ProjectPicker title={page.title} path={page.path} /> };
  return { project };
};
