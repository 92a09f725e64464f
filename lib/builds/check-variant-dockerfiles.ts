// Saving a variant of a DIRECTORY project checks, at once, that its Dockerfile (and the builder
// pattern's runtime Dockerfile) is a real file inside the context, with the pipeline's own check
// (symlink-aware, never leaving the context), and says which field is wrong.
import "server-only";
import { getContextRoots } from "@/lib/env";
import { isAppError, type FieldErrors } from "@/lib/errors";
import { resolveDirectoryContext } from "@/lib/builds/context/directory-context";
import { readDockerfileInContext } from "@/lib/builds/context/dockerfile";

type ProjectContext = { contextKind: string; contextPath: string | null };
type VariantFiles = { dockerfile: string; runtimeDockerfile?: string | null; strategy?: string };

// readDockerfileInContext's refusals, in the words of the form's field.
const describeRefusal = (error: unknown, file: string, contextPath: string): string => {
  if (!isAppError(error)) throw error;
  if (/is not a file$/.test(error.message)) return `${file} is not a file in the build context`;
  if (/escapes|must be relative/.test(error.message)) return `${file} leads outside the build context`;
  return `${file} was not found in the build context (${contextPath})`;
};

/**
 * Field errors for the Dockerfiles that are missing from a DIRECTORY context ({} when all are
 * there, or when the context is a git repository or an archive, checked at build time). A
 * context directory that is itself refused is reported on `dockerfile`.
 */
export const checkVariantDockerfiles = async (project: ProjectContext, variant: VariantFiles): Promise<FieldErrors> => {
  if (project.contextKind !== "DIRECTORY" || !project.contextPath) return {};
  let dir: string;
  try {
    dir = await resolveDirectoryContext(project.contextPath, getContextRoots());
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { dockerfile: `the project's build context cannot be read: ${error.message}` };
  }
  const errors: FieldErrors = {};
  const files: [string, string | null | undefined][] = [["dockerfile", variant.dockerfile]];
  if (variant.strategy === undefined || variant.strategy === "BUILDER_PATTERN" || variant.runtimeDockerfile) files.push(["runtimeDockerfile", variant.runtimeDockerfile]);
  for (const [field, file] of files) {
    if (!file) continue;
    try {
      await readDockerfileInContext(dir, file);
    } catch (error) {
      errors[field] = describeRefusal(error, file, project.contextPath);
    }
  }
  return errors;
};
