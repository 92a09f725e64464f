// Schemas for the pull-request report (issue 15 item 5): two refs to build, or two commits to read.
import { z } from "zod";

// A branch, tag or commit; the clone refuses what git's check-ref-format does (lib/builds/context/git-context.ts).
export const refSchema = z.string().trim().min(1, "a git ref is required").max(255, "at most 255 characters");
const shaSchema = z.string().trim().toLowerCase().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a full commit SHA (40 or 64 hex digits)");

// Compare-all (issue 13 item 9): optionally at a git ref other than the project's own.
export const startComparisonSchema = z.object({ ref: refSchema.optional() }).strict();

export const startPullRequestSchema = z.object({ base: refSchema, head: refSchema });
export type StartPullRequestInput = z.infer<typeof startPullRequestSchema>;

export const pullRequestQuerySchema = z.object({
  base: shaSchema,
  head: shaSchema,
  // labels only (what the CLI was given); default: the SHAs
  baseRef: refSchema.optional(),
  headRef: refSchema.optional(),
});
