// Checks, before anything is queued or saved, that a project's context comes from an
// allowed place: a directory under LAYERBOARD_CONTEXT_ROOTS or a git URL of an allowed scheme.
import "server-only";
import { getContextRoots } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { resolveDirectoryContext } from "@/lib/builds/context/directory-context";
import { checkGitUrl } from "@/lib/builds/context/git-url";

type ContextFields = { contextKind?: string | null; contextPath?: string | null; gitUrl?: string | null; archiveId?: string | null };

export const assertProjectContextAllowed = async (project: ContextFields): Promise<void> => {
  const kind = project.contextKind ?? "DIRECTORY";
  if (kind === "DIRECTORY") {
    if (!project.contextPath) throw new AppError("VALIDATION", "contextPath: a directory context needs a path");
    await resolveDirectoryContext(project.contextPath, getContextRoots());
  } else if (kind === "GIT") {
    const check = checkGitUrl(project.gitUrl ?? "");
    if (!check.ok) throw new AppError("VALIDATION", `gitUrl: ${check.reason}`);
  } else if (kind === "ARCHIVE" && !project.archiveId) {
    throw new AppError("VALIDATION", "archive: upload a .tar or .tar.gz context first");
  }
};
