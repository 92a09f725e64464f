// Editing and removing projects and variants (issue 13), with the checks a save makes at once:
// the context is allowed, the Dockerfiles exist in a directory context, the builder pattern has
// what it needs. Shared by the API routes and the server actions.
import "server-only";
import { fieldsError, isAppError, type FieldErrors } from "@/lib/errors";
import { getProjectRecord } from "@/lib/data/projects";
import { deleteProject, deleteVariant, getVariantInput, updateProject, updateVariant, type Dependents } from "@/lib/data/manage-projects";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import { checkVariantDockerfiles } from "@/lib/builds/check-variant-dockerfiles";
import { removeImage } from "@/lib/docker/remove-image";
import { variantSchema, type VariantInput } from "@/lib/validations/build";
import type { ProjectUpdateInput, VariantUpdateInput } from "@/lib/validations/manage";
import type { ProjectDto, VariantDto } from "@/lib/types";

const NEEDS_ATTENTION = "Some fields need attention.";

/** The builder pattern needs both its runtime Dockerfile and the artefact's path (else only the build image is built). */
export const builderPatternErrors = (input: Pick<VariantInput, "strategy" | "runtimeDockerfile" | "artifactPath">): FieldErrors => {
  if (input.strategy !== "BUILDER_PATTERN") return {};
  const errors: FieldErrors = {};
  if (!input.runtimeDockerfile) errors.runtimeDockerfile = "the builder pattern needs the runtime Dockerfile";
  if (!input.artifactPath) errors.artifactPath = "the builder pattern needs the artefact's path in the build image";
  return errors;
};

/**
 * Every check a variant's save makes before writing: field errors, all at once (VALIDATION).
 * `checkFiles: false` skips the Dockerfile check (a save that changes neither Dockerfile, such as
 * a budget, must not fail because a file moved since).
 */
export const assertVariantSavable = async (projectIdOrSlug: string, input: VariantInput, options: { checkFiles?: boolean; extra?: FieldErrors } = {}): Promise<void> => {
  const project = await getProjectRecord(projectIdOrSlug, { includeArchived: true });
  const files = options.checkFiles === false ? {} : await checkVariantDockerfiles(project, input);
  const errors = { ...files, ...builderPatternErrors(input), ...options.extra };
  if (Object.keys(errors).length) throw fieldsError(NEEDS_ATTENTION, errors);
};

/** PATCH semantics: fields left out keep their value; the merged settings are checked like a new variant's. */
export const saveVariantChanges = async (variantId: string, patch: VariantUpdateInput): Promise<VariantDto> => {
  const { archived, ...fields } = patch;
  const { projectId, archivedAt: _archivedAt, ...current } = await getVariantInput(variantId);
  const merged = variantSchema.parse({ ...current, ...fields });
  // A strategy other than the builder pattern drops the builder-pattern fields.
  const input: VariantInput = merged.strategy === "BUILDER_PATTERN" ? merged : { ...merged, runtimeDockerfile: null, artifactPath: null };
  const changesFiles = input.dockerfile !== current.dockerfile || input.runtimeDockerfile !== current.runtimeDockerfile || input.strategy !== current.strategy;
  await assertVariantSavable(projectId, input, { checkFiles: changesFiles });
  return updateVariant(variantId, input, { archived });
};

const CONTEXT_FIELD = { DIRECTORY: "contextPath", GIT: "gitUrl", ARCHIVE: "archive" } as const;

export const saveProjectChanges = async (projectIdOrSlug: string, patch: ProjectUpdateInput): Promise<ProjectDto> => {
  const current = await getProjectRecord(projectIdOrSlug, { includeArchived: true });
  const kind = patch.contextKind ?? current.contextKind;
  const changesContext = patch.contextKind !== undefined || patch.contextPath !== undefined || patch.gitUrl !== undefined;
  if (changesContext) {
    if (kind === "ARCHIVE" && !current.archiveId) throw fieldsError(NEEDS_ATTENTION, { contextKind: "an archive context needs an uploaded archive: create a new project from the archive" });
    try {
      await assertProjectContextAllowed({
        contextKind: kind,
        contextPath: patch.contextPath === undefined ? current.contextPath : patch.contextPath,
        gitUrl: patch.gitUrl === undefined ? current.gitUrl : patch.gitUrl,
        archiveId: current.archiveId,
      });
    } catch (error) {
      if (!isAppError(error)) throw error;
      const field = CONTEXT_FIELD[kind];
      const reason = error.message.replace(new RegExp(`^${field}: `), "");
      throw fieldsError(`${field}: ${reason}`, { [field]: reason }, error.code);
    }
  }
  return updateProject(current.id, patch);
};

export type RemovedImages = { removed: number; left: number };

// Best effort, on this process's engine: an image on another engine, or one a container uses, is left.
const removeImages = async (tags: string[]): Promise<RemovedImages> => {
  let removed = 0;
  for (const tag of tags) {
    const outcome = await removeImage(tag).catch(() => null);
    if (outcome?.kind === "removed") removed += 1;
  }
  return { removed, left: tags.length - removed };
};

export const removeProject = async (projectIdOrSlug: string): Promise<{ deleted: Dependents; images: RemovedImages }> => {
  const { deleted, imageTags } = await deleteProject(projectIdOrSlug);
  return { deleted, images: await removeImages(imageTags) };
};

export const removeVariant = async (variantId: string): Promise<{ deleted: Dependents; images: RemovedImages; projectId: string }> => {
  const { deleted, imageTags, projectId } = await deleteVariant(variantId);
  return { deleted, images: await removeImages(imageTags), projectId };
};

