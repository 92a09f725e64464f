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
import { isAppError } from "@/lib/errors";
import type { VariantTemplateInput } from "@/lib/builds/variant-templates";
import { idSchema, projectSchema, variantSchema } from "@/lib/validations/build";
import {
  parseBuildArgLines,
  splitLines,
  splitPackages,
  type FieldErrors,
  type SetupFormState,
  type TemplatesResult,
} from "@/components/setup/form-state";

type Failure = Extract<SetupFormState, { ok: false }>;

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
const optionalText = (form: FormData, name: string): string | null => text(form, name).trim() || null;

const fail = (error: string, fieldErrors: FieldErrors = {}): Failure => ({ ok: false, error, fieldErrors });

// The first message per form field; nested paths (buildArgs.KEY, systemPackages.1) belong to their field.
const issuesToFieldErrors = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors => {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    const detail = issue.path.length > 1 && issue.path[0] === "buildArgs" ? `${String(issue.path[1])}: ${issue.message}` : issue.message;
    errors[field] ??= detail;
  }
  return errors;
};

const fromZod = (error: z.ZodError): Failure => fail("Some fields need attention.", issuesToFieldErrors(error.issues));

// Messages like "contextPath: a directory context needs a path" name their field first.
const withoutFieldPrefix = (message: string, field: string) => message.replace(new RegExp(`^${field}: `), "");

const fromUnexpected = (error: unknown): Failure => {
  if (isAppError(error)) return fail(error.message);
  console.error("[setup action]", error);
  return fail("Something went wrong; see the server log.");
};

const CONTEXT_FIELD = { DIRECTORY: "contextPath", GIT: "gitUrl", ARCHIVE: "archive" } as const;

export const createProjectAction = async (_state: SetupFormState, form: FormData): Promise<SetupFormState> => {
  let projectId: string;
  try {
    await requireActionActor("ADMIN");
    const kindResult = z.enum(["DIRECTORY", "GIT", "ARCHIVE"]).safeParse(text(form, "contextKind") || "DIRECTORY");
    if (!kindResult.success) return fail("Choose where the build context comes from.", { contextKind: "choose a directory, a git repository or an archive" });
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
    if (!parsed.success) return fromZod(parsed.error);
    const input = parsed.data;

    let archiveId: string | null = null;
    if (kind === "ARCHIVE") {
      const id = idSchema.safeParse(text(form, "archiveId"));
      if (!id.success) return fail("Upload the context archive first.", { archive: "upload a .tar or .tar.gz context first" });
      archiveId = id.data;
    }
    const field = CONTEXT_FIELD[kind];
    try {
      await assertProjectContextAllowed({ ...input, archiveId });
      if (archiveId) await getContextArchive(archiveId);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return fail("The build context is not allowed.", { [field]: withoutFieldPrefix(error.message, field) });
    }

    try {
      const project = await createProject(input);
      projectId = project.id;
    } catch (error) {
      if (isAppError(error) && error.code === "CONFLICT") return fail("That slug is taken.", { slug: error.message });
      throw error;
    }
    if (archiveId) await attachContextArchive(projectId, archiveId);
  } catch (error) {
    return fromUnexpected(error);
  }
  redirect(`/projects/${projectId}`);
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

export const createVariantAction = async (_state: SetupFormState, form: FormData): Promise<SetupFormState> => {
  let projectId: string;
  try {
    await requireActionActor("ADMIN");
    const project = idSchema.safeParse(text(form, "projectId"));
    if (!project.success) return fail("No project was given: open this page from a project.");

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
      smokeCommand: smoke.length ? smoke : null,
      sizeBudgetBytes: budgetMb === null ? null : Math.round(budgetMb * MB),
      regressionThresholdPct: threshold,
      builder: text(form, "builder") || "BUILDKIT",
      noCache: form.get("noCache") === "on",
      runtimeDockerfile: isBuilderPattern ? optionalText(form, "runtimeDockerfile") : null,
      artifactPath: isBuilderPattern ? optionalText(form, "artifactPath") : null,
    });
    const fieldErrors = parsed.success ? {} : issuesToFieldErrors(parsed.error.issues);
    if (fieldErrors.sizeBudgetBytes) fieldErrors.sizeBudgetMb = fieldErrors.sizeBudgetBytes;
    Object.assign(fieldErrors, errors);
    // Without both, the pipeline would quietly build the build image only.
    if (isBuilderPattern) {
      if (!optionalText(form, "runtimeDockerfile")) fieldErrors.runtimeDockerfile ??= "the builder pattern needs the runtime Dockerfile";
      if (!optionalText(form, "artifactPath")) fieldErrors.artifactPath ??= "the builder pattern needs the artefact's path in the build image";
    }
    if (!parsed.success || Object.keys(fieldErrors).length > 0) return fail("Some fields need attention.", fieldErrors);

    try {
      const variant = await createVariant(project.data, parsed.data);
      projectId = variant.projectId;
    } catch (error) {
      if (isAppError(error) && error.code === "CONFLICT") return fail("That name is taken.", { name: error.message });
      throw error;
    }
  } catch (error) {
    return fromUnexpected(error);
  }
  redirect(`/projects/${projectId}`);
};

export const applyTemplatesAction = async (_state: SetupFormState<TemplatesResult>, form: FormData): Promise<SetupFormState<TemplatesResult>> => {
  try {
    await requireActionActor("ADMIN");
    const project = idSchema.safeParse(text(form, "projectId"));
    if (!project.success) return fail("No project was given: open this page from a project.");
    const wroteFiles = text(form, "mode") === "write";
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
      ok: true,
      data: {
        projectId: result.projectId,
        wroteFiles,
        files: result.files,
        created: result.created.map((variant) => variant.name),
        skipped: result.skipped,
      },
    };
  } catch (error) {
    if (isAppError(error) && error.code === "VALIDATION" && Array.isArray(error.details)) {
      return fail("Some fields need attention.", issuesToFieldErrors(error.details as z.core.$ZodIssue[]));
    }
    if (isAppError(error) && error.code === "CONFLICT") return fail("The files were not written and no variant was created.", { files: error.message });
    return fromUnexpected(error);
  }
};
