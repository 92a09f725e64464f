"use server";
// Server actions of the setup pages: create a project, add a variant, apply the templates.
// Each validates with the shared zod schemas and returns errors per field; success redirects
// to the project page (or, for templates, returns what was written and created).
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireActionActor } from "@/lib/auth/session";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import { applyVariantTemplates } from "@/lib/builds/apply-variant-templates";
import { attachContextArchive, getContextArchive } from "@/lib/data/context-archives";
import { createProject, createVariant, getProject } from "@/lib/data/projects";
import { checkVariantDockerfiles } from "@/lib/builds/check-variant-dockerfiles";
import { parseVariantForm } from "@/lib/actions/variant-form";
import { AppError, fieldsError, isAppError } from "@/lib/errors";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { splitPackages, type TemplatesResult } from "@/lib/actions/setup-form";
import type { VariantTemplateInput } from "@/lib/builds/variant-templates";
import { idSchema, projectSchema } from "@/lib/validations/build";

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
const optionalText = (form: FormData, name: string): string | null => text(form, name).trim() || null;

const NEEDS_ATTENTION = "Some fields need attention.";
const NO_PROJECT = "No project was given: open this page from a project.";

// Messages like "contextPath: a directory context needs a path" name their field first.
const withoutFieldPrefix = (message: string, field: string) => message.replace(new RegExp(`^${field}: `), "");

const CONTEXT_FIELD = { DIRECTORY: "contextPath", GIT: "gitUrl", ARCHIVE: "archive" } as const;

export const createProjectAction = async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const kindResult = z.enum(["DIRECTORY", "GIT", "ARCHIVE"]).safeParse(text(form, "contextKind") || "DIRECTORY");
    if (!kindResult.success) throw fieldsError("Choose where the build context comes from.", { contextKind: "choose a directory, a git repository or an archive" });
    const kind = kindResult.data;
    // Only the chosen source is kept: a git URL typed before switching to a directory is not saved.
    const parsed = projectSchema.safeParse({
      name: text(form, "name"),
      slug: text(form, "slug"),
      description: text(form, "description"),
      contextKind: kind,
      contextPath: kind === "DIRECTORY" ? optionalText(form, "contextPath") : null,
      gitUrl: kind === "GIT" ? optionalText(form, "gitUrl") : null,
      gitRef: kind === "GIT" ? optionalText(form, "gitRef") : null,
    });
    if (!parsed.success) throw fieldsError(NEEDS_ATTENTION, parsed.error.issues);
    const input = parsed.data;

    let archiveId: string | null = null;
    if (kind === "ARCHIVE") {
      const id = idSchema.safeParse(text(form, "archiveId"));
      if (!id.success) throw fieldsError("Upload the context archive first.", { archive: "upload a .tar or .tar.gz context first" });
      archiveId = id.data;
    }
    const field = CONTEXT_FIELD[kind];
    try {
      await assertProjectContextAllowed({ ...input, archiveId });
      if (archiveId) await getContextArchive(archiveId);
    } catch (error) {
      if (!isAppError(error)) throw error;
      throw fieldsError("The build context is not allowed.", { [field]: withoutFieldPrefix(error.message, field) }, error.code);
    }

    let projectId: string;
    try {
      projectId = (await createProject(input)).id;
    } catch (error) {
      if (isAppError(error) && error.code === "CONFLICT") throw fieldsError("That slug is taken.", { slug: error.message }, "CONFLICT");
      throw error;
    }
    if (archiveId) await attachContextArchive(projectId, archiveId);
    return projectId;
  });
  // Outside runAction: redirect() works by throwing.
  if (result.ok) redirect(`/projects/${result.data}`);
  return result;
};

export const createVariantAction = async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const project = idSchema.safeParse(text(form, "projectId"));
    if (!project.success) throw new AppError("VALIDATION", NO_PROJECT);
    const { input, fieldErrors } = parseVariantForm(form);
    // The Dockerfiles of a directory context are checked now, with the other fields (issue 13).
    const files = await checkVariantDockerfiles(await getProject(project.data), { dockerfile: text(form, "dockerfile").trim() || "Dockerfile", runtimeDockerfile: optionalText(form, "runtimeDockerfile"), strategy: text(form, "strategy") || "CUSTOM" });
    if (!input || Object.keys(files).length > 0) throw fieldsError(NEEDS_ATTENTION, { ...files, ...fieldErrors });

    try {
      return (await createVariant(project.data, input)).projectId;
    } catch (error) {
      if (isAppError(error) && error.code === "CONFLICT") throw fieldsError("That name is taken.", { name: error.message }, "CONFLICT");
      throw error;
    }
  });
  if (result.ok) redirect(`/projects/${result.data}`);
  return result;
};

export const applyTemplatesAction = async (_state: ActionState<TemplatesResult>, form: FormData): Promise<ActionResult<TemplatesResult>> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const project = idSchema.safeParse(text(form, "projectId"));
    if (!project.success) throw new AppError("VALIDATION", NO_PROJECT);
    const wroteFiles = text(form, "mode") === "write";
    try {
      const result = await applyVariantTemplates(
        project.data,
        {
          strategies: form.getAll("strategies").map(String) as VariantTemplateInput["strategies"],
          baseImage: text(form, "baseImage"),
          appModule: text(form, "appModule"),
          systemPackages: splitPackages(text(form, "systemPackages")),
          runtimePackages: splitPackages(text(form, "runtimePackages")),
        },
        { writeFiles: wroteFiles },
      );
      return {
        projectId: result.projectId,
        wroteFiles,
        files: result.files,
        created: result.created.map((variant) => variant.name),
        skipped: result.skipped,
      };
    } catch (error) {
      // The templates' VALIDATION error carries zod's issues: shown per field, under one summary.
      if (isAppError(error) && error.code === "VALIDATION" && Array.isArray(error.details)) throw fieldsError(NEEDS_ATTENTION, error.details);
      if (isAppError(error) && error.code === "CONFLICT") throw fieldsError("The files were not written and no variant was created.", { files: error.message }, "CONFLICT");
      throw error;
    }
  });
