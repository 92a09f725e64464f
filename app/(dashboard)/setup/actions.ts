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
import { createProject, createVariant } from "@/lib/data/projects";
import { AppError, fieldsError, isAppError, toFieldErrors, type FieldErrors } from "@/lib/errors";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { parseBuildArgLines, splitLines, splitPackages, type TemplatesResult } from "@/lib/actions/setup-form";
import type { VariantTemplateInput } from "@/lib/builds/variant-templates";
import { idSchema, projectSchema, variantSchema } from "@/lib/validations/build";

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

// Decimal megabytes, like the sizes shown everywhere else (formatBytes).
const MB = 1_000_000;

const numberField = (form: FormData, name: string, errors: FieldErrors): number | null => {
  const raw = text(form, name).trim();
  if (raw === "") return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    errors[name] = "enter a positive number, or leave it empty";
    return null;
  }
  return value;
};

export const createVariantAction = async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const project = idSchema.safeParse(text(form, "projectId"));
    if (!project.success) throw new AppError("VALIDATION", NO_PROJECT);

    const errors: FieldErrors = {};
    const buildArgs = parseBuildArgLines(text(form, "buildArgs"));
    if (buildArgs.error) errors.buildArgs = buildArgs.error;
    const smoke = splitLines(text(form, "smokeCommand"));
    const budgetMb = numberField(form, "sizeBudgetMb", errors);
    const threshold = numberField(form, "regressionThresholdPct", errors);
    const strategy = text(form, "strategy") || "CUSTOM";
    const isBuilderPattern = strategy === "BUILDER_PATTERN";

    const parsed = variantSchema.safeParse({
      name: text(form, "name"),
      strategy,
      dockerfile: text(form, "dockerfile").trim() || "Dockerfile",
      target: optionalText(form, "target"),
      buildArgs: buildArgs.args,
      secretArgs: text(form, "secretArgs").split(/[\s,]+/).filter(Boolean),
      smokeCommand: smoke.length ? smoke : null,
      smokePrivileges: text(form, "smokePrivileges") || "STRICT",
      sizeBudgetBytes: budgetMb === null ? null : Math.round(budgetMb * MB),
      regressionThresholdPct: threshold,
      builder: text(form, "builder") || "BUILDKIT",
      noCache: form.get("noCache") === "on",
      runtimeDockerfile: isBuilderPattern ? optionalText(form, "runtimeDockerfile") : null,
      artifactPath: isBuilderPattern ? optionalText(form, "artifactPath") : null,
    });
    const fieldErrors = parsed.success ? {} : toFieldErrors(parsed.error.issues);
    if (fieldErrors.sizeBudgetBytes) fieldErrors.sizeBudgetMb = fieldErrors.sizeBudgetBytes;
    Object.assign(fieldErrors, errors);
    // Without both, the pipeline would quietly build the build image only.
    if (isBuilderPattern) {
      if (!optionalText(form, "runtimeDockerfile")) fieldErrors.runtimeDockerfile ??= "the builder pattern needs the runtime Dockerfile";
      if (!optionalText(form, "artifactPath")) fieldErrors.artifactPath ??= "the builder pattern needs the artefact's path in the build image";
    }
    if (!parsed.success || Object.keys(fieldErrors).length > 0) throw fieldsError(NEEDS_ATTENTION, fieldErrors);

    try {
      return (await createVariant(project.data, parsed.data)).projectId;
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
