// Input of the Dockerfile templates Layerboard generates for a user's Python project.
// Everything here is interpolated into a Dockerfile, so each field only admits characters
// that cannot break out of its place (no spaces, quotes, newlines or shell metacharacters).
import { z } from "zod";

export const TEMPLATE_STRATEGIES = ["SINGLE_STAGE", "MULTI_STAGE", "VENV_COPIES", "BUILDER_PATTERN"] as const;
export const templateStrategySchema = z.enum(TEMPLATE_STRATEGIES);
export type TemplateStrategy = z.infer<typeof templateStrategySchema>;

// What `python -m` accepts: dotted identifiers (letters, digits, _ and .).
export const pythonModuleSchema = z
  .string()
  .trim()
  .min(1, "module is required")
  .max(200, "module is too long")
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, "module may contain letters, digits, _ and . (like pkg.cli), and no part may start with a digit");

// Debian policy package names: lowercase letters, digits, + - and ., starting alphanumeric.
export const debianPackageSchema = z
  .string()
  .trim()
  .max(100, "package name is too long")
  .regex(/^[a-z0-9][a-z0-9+.-]+$/, "package names are lowercase letters, digits, + - and . (Debian policy)");

// A Docker image reference: [registry[:port]/]name[/name…][:tag][@sha256:digest].
const IMAGE_REFERENCE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export const baseImageSchema = z
  .string()
  .trim()
  .min(1, "base image is required")
  .max(255, "base image is too long")
  .regex(IMAGE_REFERENCE, "base image must be an image reference like debian:bookworm-slim");

const packageListSchema = z
  .array(debianPackageSchema)
  .max(64, "at most 64 packages")
  .refine((names) => new Set(names).size === names.length, "packages are listed twice")
  .default([]);

export const variantTemplateSchema = z.object({
  strategies: z
    .array(templateStrategySchema)
    .min(1, "choose at least one strategy")
    .refine((list) => new Set(list).size === list.length, "each strategy may be chosen once"),
  // Debian/Ubuntu based (the templates use apt-get and Debian's python3 packages).
  baseImage: baseImageSchema,
  appModule: pythonModuleSchema,
  // Extra apt packages needed to compile (e.g. libpq-dev): builder stages only.
  systemPackages: packageListSchema,
  // Extra apt packages needed at run time (e.g. libpq5): every final image.
  runtimePackages: packageListSchema,
});
export type VariantTemplateInput = z.input<typeof variantTemplateSchema>;
export type VariantTemplateOptions = z.output<typeof variantTemplateSchema>;
