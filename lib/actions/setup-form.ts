// What the setup forms and their server actions share: the textarea parsers and the result of
// applying the templates. Client-safe; the result shape itself is ActionResult (lib/actions/result).
export type TemplatesResult = {
  projectId: string;
  wroteFiles: boolean;
  files: { path: string; action: "create" | "unchanged" | "kept" }[];
  created: string[];
  skipped: string[];
};

/** Splits a textarea into its non-blank lines, without the line endings. */
export const splitLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.trim() !== "");

/** Parses `KEY=value` lines; the value is everything after the first `=` and may be empty. */
export const parseBuildArgLines = (text: string): { args: Record<string, string>; error: string | null } => {
  const args: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { args, error: `line ${index + 1}: expected KEY=value` };
    const key = line.slice(0, eq).trim();
    if (Object.hasOwn(args, key)) return { args, error: `line ${index + 1}: ${key} is set twice` };
    args[key] = line.slice(eq + 1);
  }
  return { args, error: null };
};

/** Package names separated by spaces, commas or new lines. */
export const splitPackages = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** The variant form's text values, for editing a stored variant (secret values stay `***`: saved back unchanged). */
export type VariantFormValues = {
  name: string;
  strategy: string;
  dockerfile: string;
  target: string;
  buildArgs: string;
  secretArgs: string;
  smokeCommand: string;
  sizeBudgetMb: string;
  regressionThresholdPct: string;
  builder: string;
  smokePrivileges: string;
  runtimeDockerfile: string;
  artifactPath: string;
  /** "DISK" | "COMPRESSED": the size the budget and the regression threshold apply to (issue 17). */
  budgetBasis: string;
  registryBaseImage: string;
};

export const toVariantFormValues = (variant: {
  name: string;
  strategy: string;
  dockerfile: string;
  target: string | null;
  buildArgs: Record<string, string>;
  secretArgs: string[];
  smokeCommand: string[] | null;
  sizeBudgetBytes: number | null;
  regressionThresholdPct: number | null;
  builder: string;
  smokePrivileges: string;
  runtimeDockerfile: string | null;
  artifactPath: string | null;
  budgetBasis: string;
  registryBaseImage: string | null;
}): VariantFormValues => ({
  name: variant.name,
  strategy: variant.strategy,
  dockerfile: variant.dockerfile,
  target: variant.target ?? "",
  buildArgs: Object.entries(variant.buildArgs)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n"),
  secretArgs: variant.secretArgs.join(" "),
  smokeCommand: (variant.smokeCommand ?? []).join("\n"),
  // Decimal megabytes (1 MB = 1,000,000 bytes), as the form reads them.
  sizeBudgetMb: variant.sizeBudgetBytes === null ? "" : String(variant.sizeBudgetBytes / 1_000_000),
  regressionThresholdPct: variant.regressionThresholdPct === null ? "" : String(variant.regressionThresholdPct),
  builder: variant.builder,
  smokePrivileges: variant.smokePrivileges,
  runtimeDockerfile: variant.runtimeDockerfile ?? "Dockerfile.runtime",
  artifactPath: variant.artifactPath ?? "",
  budgetBasis: variant.budgetBasis,
  registryBaseImage: variant.registryBaseImage ?? "",
});
