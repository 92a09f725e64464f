// Reads ?project=<id or slug> for the setup pages: the project, or null when none was given.
import "server-only";
import { notFound } from "next/navigation";
import { getProject } from "@/lib/data/projects";
import { isAppError } from "@/lib/errors";
import type { ProjectDto } from "@/lib/types";

export const loadProjectParam = async (value: string | string[] | undefined): Promise<ProjectDto | null> => {
  const id = Array.isArray(value) ? value[0] : value;
  if (!id) return null;
  try {
    return await getProject(id);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
};
