// Query parameters of the content endpoints (GET /api/builds/:id/content…), bounded.
import { z } from "zod";
import { normalisePath } from "@/lib/content/path-order";
import { LISTING_LIMITS, TREE_LIMITS } from "@/lib/content/tree";

const pathParam = z
  .string()
  .max(4096, "path is too long")
  .regex(/^[^\u0000]*$/, "path has invalid characters")
  .transform((p) => normalisePath(p));

const imageParam = z.enum(["main", "build"]).default("main");

const intParam = (min: number, max: number, fallback: number, name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).min(min, `${name} is at least ${min}`).max(max, `${name} is at most ${max}`).default(fallback);

export const contentListingQuerySchema = z.object({
  image: imageParam,
  path: pathParam.default("/"),
  depth: intParam(1, LISTING_LIMITS.maxDepth, 1, "depth"),
  limit: intParam(1, LISTING_LIMITS.maxLimit, LISTING_LIMITS.defaultLimit, "limit"),
  cursor: pathParam.optional(),
  q: z.string().trim().max(LISTING_LIMITS.maxQuery, `q is at most ${LISTING_LIMITS.maxQuery} characters`).optional().transform((q) => q || undefined),
  /** "deleted": the paths higher layers deleted instead of the final filesystem's entries. */
  show: z.enum(["present", "deleted"], { error: "show is present or deleted" }).default("present"),
});
export type ContentListingQuery = z.infer<typeof contentListingQuerySchema>;

export const contentTreeQuerySchema = z.object({
  image: imageParam,
  path: pathParam.default("/"),
  depth: intParam(1, TREE_LIMITS.maxDepth, 2, "depth"),
  top: intParam(1, TREE_LIMITS.maxTopN, 12, "top"),
});
export type ContentTreeQuery = z.infer<typeof contentTreeQuerySchema>;

export const contentImageQuerySchema = z.object({ image: imageParam });

export const contentDiffQuerySchema = z.object({
  image: imageParam,
  depth: intParam(1, 6, 2, "depth"),
  top: intParam(1, 100, 10, "top"),
});
export type ContentDiffQuery = z.infer<typeof contentDiffQuerySchema>;

/** Query parameters from a request URL as a plain object (the last value of a repeated one wins). */
export const queryOf = (request: Request) => Object.fromEntries(new URL(request.url).searchParams);
