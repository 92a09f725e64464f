// The variant form's fields → a variant input and per-field errors, every error at once. Used
// by the add-variant and the edit-variant actions alike.
import "server-only";
import { toFieldErrors, type FieldErrors } from "@/lib/errors";
import { parseBuildArgLines, splitLines } from "@/lib/actions/setup-form";
import { variantSchema, type VariantInput } from "@/lib/validations/build";

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
const optionalText = (form: FormData, name: string): string | null => text(form, name).trim() || null;

// Decimal megabytes, like the sizes shown everywhere else (formatBytes).
export const MB = 1_000_000;

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

export type ParsedVariantForm = { input: VariantInput | null; fieldErrors: FieldErrors };

export const parseVariantForm = (form: FormData): ParsedVariantForm => {
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
    budgetBasis: text(form, "budgetBasis") || "DISK",
    registryBaseImage: optionalText(form, "registryBaseImage"),
  });
  const fieldErrors = parsed.success ? {} : toFieldErrors(parsed.error.issues);
  if (fieldErrors.sizeBudgetBytes) fieldErrors.sizeBudgetMb = fieldErrors.sizeBudgetBytes;
  Object.assign(fieldErrors, errors);
  // Without both, the pipeline would quietly build the build image only.
  if (isBuilderPattern) {
    if (!optionalText(form, "runtimeDockerfile")) fieldErrors.runtimeDockerfile ??= "the builder pattern needs the runtime Dockerfile";
    if (!optionalText(form, "artifactPath")) fieldErrors.artifactPath ??= "the builder pattern needs the artefact's path in the build image";
  }
  return { input: parsed.success && Object.keys(fieldErrors).length === 0 ? parsed.data : null, fieldErrors };
};
