// Schemas for report exports and share links, shared by the share panel and the routes.
import { z } from "zod";
import { idSchema } from "@/lib/validations/build";

export const reportQuerySchema = z.object({
  format: z.enum(["md", "json", "csv"]).default("md"),
  rows: z.enum(["builds", "layers", "layer-diff"]).default("builds"),
  download: z
    .enum(["1", "0", "true", "false"])
    .optional()
    .transform((value) => value === "1" || value === "true"),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const MAX_SHARE_DAYS = 365;
// A new link expires after this many days unless it says otherwise; `expiresInDays: null` is "never".
export const DEFAULT_SHARE_DAYS = 30;

const expiresInDaysSchema = z.number().int("expiry is a whole number of days").min(1, "expiry is at least 1 day").max(MAX_SHARE_DAYS, `expiry is at most ${MAX_SHARE_DAYS} days`).nullish();

export const createShareLinkSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("build"), buildId: idSchema, expiresInDays: expiresInDaysSchema }),
  z.object({ kind: z.literal("comparison"), comparisonId: idSchema, expiresInDays: expiresInDaysSchema }),
]);
export type CreateShareLinkInput = z.infer<typeof createShareLinkSchema>;

export const shareLinkListQuerySchema = z
  .object({ buildId: idSchema.optional(), comparisonId: idSchema.optional() })
  .refine((query) => Boolean(query.buildId) !== Boolean(query.comparisonId), "give either buildId or comparisonId");

// Share tokens are createSecret("lbr"): the prefix and 43 base64url characters.
export const shareTokenSchema = z.string().regex(/^lbr_[A-Za-z0-9_-]{20,100}$/, "not a share link");
