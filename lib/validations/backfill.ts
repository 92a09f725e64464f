// Backfill input (issue 15), shared by the project page's form and the API.
import { z } from "zod";
import { BACKFILL_DEFAULT_COMMITS, BACKFILL_MAX_COMMITS } from "@/lib/builds/backfill-limits";

export const backfillSchema = z.object({
  count: z.coerce
    .number({ message: "count: the number of commits is required" })
    .int("count: a whole number of commits")
    .min(1, "count: at least one commit")
    .max(BACKFILL_MAX_COMMITS, `count: at most ${BACKFILL_MAX_COMMITS} commits`)
    .default(BACKFILL_DEFAULT_COMMITS),
  // Checked as a git ref again by start-backfill.ts; empty means the project's ref.
  branch: z
    .string()
    .trim()
    .max(255, "branch: too long")
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type BackfillInput = z.infer<typeof backfillSchema>;

export const backfillChangeSchema = z.object({ action: z.enum(["pause", "resume", "cancel"]) });
export type BackfillChange = z.infer<typeof backfillChangeSchema>;
