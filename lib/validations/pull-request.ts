// Schemas for the pull-request report (issue 15 item 5): two refs to build, or two commits to read.
import { z } from "zod";
import { refSchema } from "@/lib/validations/build";

const shaSchema = z.string().trim().toLowerCase().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a full commit SHA (40 or 64 hex digits)");

export const startPullRequestSchema = z.object({ base: refSchema, head: refSchema });
export type StartPullRequestInput = z.infer<typeof startPullRequestSchema>;

export const pullRequestQuerySchema = z.object({
  base: shaSchema,
  head: shaSchema,
  // labels only (what the CLI was given); default: the SHAs
  baseRef: refSchema.optional(),
  headRef: refSchema.optional(),
});
