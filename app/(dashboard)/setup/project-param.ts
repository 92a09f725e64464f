// Reads ?project=<id or slug> for the setup pages: the project, null when none was given,
// the 404 page when the one given does not exist.
import "server-only";
import { notFound } from "next/navigation";
import { getProject } from "@/lib/data/projects";
import { nullIfNotFound } from "@/lib/data/not-found";
import type { ProjectDto } from "@/lib/types";

export const findProjectParam = async (value: string | string[] | undefined): Promise<ProjectDto | null> => {
  const id = Array.isArray(value) ? value[0] : value;
  if (!id) return null;
  return (await nullIfNotFound(getProject(id))) ?? notFound();
};
