// The filters of the builds page and of GET /api/builds, parsed from a URL query. Shared by
// the page (which shows a bad value as a message) and the route (which answers 400).
import { z } from "zod";
import { idSchema } from "@/lib/validations/build";

export const BUILD_PAGE_SIZE = 25;
// The API may ask for more in one page (it did before the builds page existed); still bounded.
export const MAX_BUILD_SEARCH_LIMIT = 500;

const BUILD_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"] as const;

// "2026-12-01" (a whole day, UTC) or a full ISO timestamp.
const dateSchema = z
  .string()
  .trim()
  .max(40, "dates are YYYY-MM-DD")
  .refine((value) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)), "dates are YYYY-MM-DD");

const flagSchema = z.enum(["1", "true", "yes", "0", "false", "no"]).transform((value) => value === "1" || value === "true" || value === "yes");

// The keyset cursor: the last row's queuedAt (ms) and id, as "<ms>_<id>".
const cursorSchema = z
  .string()
  .trim()
  .max(100, "the page cursor is not valid")
  .regex(/^\d{1,15}_[a-zA-Z0-9_-]{1,64}$/, "the page cursor is not valid: start again from the first page")
  .transform((value) => {
    const at = value.indexOf("_");
    return { queuedAt: new Date(Number(value.slice(0, at))), id: value.slice(at + 1) };
  });

// Empty form fields ("?status=") mean "no filter", so a submitted form with blanks parses.
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const buildSearchSchema = z
  .object({
    projectId: optional(idSchema),
    variantId: optional(idSchema),
    status: optional(z.enum(BUILD_STATUSES, { message: `status is one of ${BUILD_STATUSES.join(", ").toLowerCase()}` })),
    // runs=no: built but the smoke run failed ("does not run"); runs=yes: built and runs.
    runs: optional(flagSchema),
    overBudget: optional(flagSchema),
    builder: optional(z.enum(["BUILDKIT", "CLASSIC"], { message: "builder is BUILDKIT or CLASSIC" })),
    from: optional(dateSchema),
    to: optional(dateSchema),
    // a prefix of the context revision (git commit, or the archive's sha256)
    commit: optional(
      z
        .string()
        .trim()
        .toLowerCase()
        .max(71, "commit is at most 64 hex digits")
        .regex(/^(sha256:)?[0-9a-f]{4,64}$/, "commit is 4 to 64 hex digits of the revision"),
    ),
    q: optional(z.string().trim().max(200, "search text is at most 200 characters")),
    cursor: optional(cursorSchema),
    limit: optional(z.coerce.number({ message: "limit is a number" }).int("limit is a whole number").min(1, "limit is at least 1").max(MAX_BUILD_SEARCH_LIMIT, `limit is at most ${MAX_BUILD_SEARCH_LIMIT}`)),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), { message: "the date range ends before it starts", path: ["to"] });

export type BuildSearchQuery = z.infer<typeof buildSearchSchema>;

/** The end of a `to` date: a bare day includes the whole day (UTC). */
export const endOfRange = (to: string): Date => (/^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : new Date(to));

export const encodeBuildCursor = (row: { queuedAt: string | Date; id: string }) => `${new Date(row.queuedAt).getTime()}_${row.id}`;

// The URL query of a search (the filters, without the page cursor unless given), for links.
export const FILTER_KEYS = ["projectId", "variantId", "status", "runs", "overBudget", "builder", "from", "to", "commit", "q"] as const;
export type BuildFilterValues = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

export const toBuildSearchParams = (filters: BuildFilterValues, extra: Record<string, string | undefined> = {}) => {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]!);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params;
};
