// Schemas for build, project and variant input, shared by forms and route handlers.
import { z } from "zod";

export const idSchema = z.string().trim().min(1, "id is required").max(64, "id is too long").regex(/^[a-zA-Z0-9_-]+$/, "id has invalid characters");

// A branch, tag or commit; the clone refuses what git's check-ref-format does (lib/builds/context/git-context.ts).
export const refSchema = z.string().trim().min(1, "a git ref is required").max(255, "at most 255 characters");

// `builder` overrides the variant's builder for one build (e.g. classic when BuildKit
// needs a session feature such as secret mounts).
// `archiveId` builds an uploaded context (POST /api/context-archives) instead of the project's own: the CLI's checkout.
// ref (issue 13 item 9): a git project's branch, tag or commit to build instead of its own ref.
export const startBuildSchema = z
  .object({ variantId: idSchema, builder: z.enum(["BUILDKIT", "CLASSIC"]).optional(), archiveId: idSchema.optional(), ref: refSchema.optional() })
  .refine((input) => !(input.ref && input.archiveId), { path: ["ref"], message: "ref and archiveId do not go together: an uploaded context has no git ref" });
export type StartBuildInput = z.infer<typeof startBuildSchema>;

// Compare-all (issue 13 item 9): optionally at a git ref other than the project's own.
export const startComparisonSchema = z.object({ ref: refSchema.optional() }).strict();

// Dockerfile paths are relative to the context and may not climb out of it.
export const dockerfilePathSchema = z
  .string()
  .trim()
  .min(1, "Dockerfile path is required")
  .max(255, "Dockerfile path is too long")
  .regex(/^[A-Za-z0-9._/-]+$/, "Dockerfile path may contain letters, digits, . _ - and /")
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "Dockerfile path must stay inside the context");

export const targetSchema = z
  .string()
  .trim()
  .max(128, "target is too long")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "target may contain letters, digits, . _ and -");

export const buildArgsSchema = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "build arg names are letters, digits and _"),
    z.string().max(4096, "build arg value is too long"),
  )
  .refine((args) => Object.keys(args).length <= 64, "at most 64 build args");

export const smokeCommandSchema = z
  .array(z.string().max(1024, "smoke command argument is too long"))
  .min(1, "smoke command needs at least one argument")
  .max(64, "smoke command has too many arguments");

export const variantSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(80, "name is too long"),
  strategy: z.enum(["SINGLE_STAGE", "MULTI_STAGE", "VENV_COPIES", "BUILDER_PATTERN", "CUSTOM"]).default("CUSTOM"),
  dockerfile: dockerfilePathSchema.default("Dockerfile"),
  target: targetSchema.nullish(),
  buildArgs: buildArgsSchema.default({}),
  secretArgs: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "secret arg names are letters, digits and _"))
    .max(64, "at most 64 secret args")
    .optional(),
  smokeCommand: smokeCommandSchema.nullish(),
  smokePrivileges: z.enum(["STRICT", "RELAXED"]).optional(),
  sizeBudgetBytes: z.number().int().positive().nullish(),
  regressionThresholdPct: z.number().positive().max(1000).nullish(),
  builder: z.enum(["BUILDKIT", "CLASSIC"]).default("BUILDKIT"),
  noCache: z.boolean().default(false),
  runtimeDockerfile: dockerfilePathSchema.nullish(),
  artifactPath: z.string().trim().startsWith("/", "artifact path must be absolute in the build image").max(255).nullish(),
  // Issue 17: the size the budget and regression threshold apply to; a base image in the project's registry.
  budgetBasis: z.enum(["DISK", "COMPRESSED"]).optional(),
  registryBaseImage: z.string().trim().max(300).regex(/^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/, "a base image is path[:tag] in the project's registry").nullish(),
});
export type VariantInput = z.infer<typeof variantSchema>;

export const projectSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(80, "name is too long"),
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "slug is lowercase letters, digits and -"),
  description: z.string().max(2000).default(""),
  contextKind: z.enum(["DIRECTORY", "GIT", "ARCHIVE"]).default("DIRECTORY"),
  contextPath: z.string().trim().max(1024).nullish(),
  gitUrl: z.string().trim().max(2048).nullish(),
  gitRef: z.string().trim().max(255).regex(/^[^\s-][^\s]*$/, "git ref may not start with - or contain spaces").nullish(),
});
export type ProjectInput = z.infer<typeof projectSchema>;

export const buildListQuerySchema = z.object({
  projectId: idSchema.optional(),
  variantId: idSchema.optional(),
  status: z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
