// Pins a git ref to a full commit SHA (a comparison builds every variant from one commit).
import "server-only";
import { fieldsError } from "@/lib/errors";
import { openContext } from "@/lib/builds/context/open-context";

export const resolveGitRevision = async (url: string, ref: string): Promise<string | null> => {
  const context = await openContext({ kind: "GIT", url, ref });
  try {
    return context.revision;
  } finally {
    await context.cleanup();
  }
};

type ProjectContext = { name: string; contextKind: string; gitUrl: string | null };

/** A ref a caller asked for (the CLI's --ref), resolved; refused with a field error on a project without git. */
export const resolveRequestedRef = async (project: ProjectContext, ref: string): Promise<string | null> => {
  if (project.contextKind !== "GIT")
    throw fieldsError(`ref: project ${project.name} builds a ${project.contextKind.toLowerCase()} context, which has no git refs`, { ref: "only a git project builds a git ref" });
  return resolveGitRevision(project.gitUrl!, ref);
};
