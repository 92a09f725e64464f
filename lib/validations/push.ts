// Schemas for a project's push hook branch and its branch poll (issue 15, docs/push.md).
import { z } from "zod";

/** Polling more often than this only loads the git host; webhooks are for "at once". */
export const MIN_POLL_INTERVAL_SECONDS = 60;
export const MAX_POLL_INTERVAL_SECONDS = 24 * 60 * 60;

// A branch name: what git's check-ref-format allows (the clone checks the same, lib/builds/context/git-context.ts).
const branchSchema = z
  .string()
  .trim()
  .min(1, "a branch name is required")
  .max(255, "at most 255 characters")
  .refine(
    (ref) => !ref.startsWith("-") && !ref.startsWith("/") && !ref.endsWith("/") && !ref.endsWith(".lock") && !ref.includes("..") && !ref.includes("@{") && !/[\s\0-\x1f\x7f~^:?*[\\]/.test(ref),
    "not a valid branch name",
  )
  .transform((ref) => ref.replace(/^refs\/heads\//, ""));

export const pushHookBranchSchema = z.object({
  // blank: the project's git ref
  branch: z.preprocess((value) => (value === "" || value === undefined ? null : value), branchSchema.nullable()),
});
export type PushHookBranchInput = z.infer<typeof pushHookBranchSchema>;

export const pushPollSchema = z.object({
  branch: branchSchema,
  intervalSeconds: z.coerce
    .number()
    .int("a whole number of seconds")
    .min(MIN_POLL_INTERVAL_SECONDS, `at least ${MIN_POLL_INTERVAL_SECONDS} seconds`)
    .max(MAX_POLL_INTERVAL_SECONDS, `at most ${MAX_POLL_INTERVAL_SECONDS} seconds (a day)`),
  enabled: z.boolean(),
});
export type PushPollInput = z.infer<typeof pushPollSchema>;
