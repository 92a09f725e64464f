// The builds page and GET /api/builds: builds across projects, filtered and paged on the
// server with a keyset on (queuedAt, id), newest first. One SQL query finds the page's ids
// (every filter is a WHERE clause the indexes of migration 20261202041000 serve), then the
// summaries are read like everywhere else (findBuilds).
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { findBuilds } from "@/lib/data/builds";
import { BUILD_PAGE_SIZE, encodeBuildCursor, endOfRange, type BuildSearchQuery } from "@/lib/validations/build-search";
import type { BuildSummaryDto } from "@/lib/types";

export type BuildSearchResult = {
  builds: BuildSummaryDto[];
  /** The cursor of the next (older) page; null on the last page. */
  nextCursor: string | null;
};

// LIKE treats % _ and \ specially: a search for "50%" means the text "50%".
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const toIsoTimestamp = (date: Date) => Prisma.sql`${date.toISOString()}::timestamp`;

const whereClauses = (query: BuildSearchQuery): Prisma.Sql[] => {
  const where: Prisma.Sql[] = [];
  if (query.projectId) where.push(Prisma.sql`b."projectId" = ${query.projectId}`);
  if (query.variantId) where.push(Prisma.sql`b."variantId" = ${query.variantId}`);
  if (query.status) where.push(Prisma.sql`b."status" = ${query.status}::"BuildStatus"`);
  if (query.builder) where.push(Prisma.sql`b."builder" = ${query.builder}::"Builder"`);
  if (query.runs === false) where.push(Prisma.sql`b."status" = 'SUCCEEDED' AND s."runs" = false`);
  if (query.runs === true) where.push(Prisma.sql`b."status" = 'SUCCEEDED' AND s."runs" = true`);
  // Against the variant's budget now, as reports and the budget badge judge it.
  if (query.overBudget === true) where.push(Prisma.sql`b."status" = 'SUCCEEDED' AND v."sizeBudgetBytes" IS NOT NULL AND b."totalSize" > v."sizeBudgetBytes"`);
  if (query.overBudget === false) where.push(Prisma.sql`NOT (v."sizeBudgetBytes" IS NOT NULL AND COALESCE(b."totalSize" > v."sizeBudgetBytes", false))`);
  if (query.from) where.push(Prisma.sql`b."queuedAt" >= ${toIsoTimestamp(new Date(query.from))}`);
  if (query.to) where.push(Prisma.sql`b."queuedAt" < ${toIsoTimestamp(endOfRange(query.to))}`);
  if (query.commit) {
    // text_pattern_ops index: a prefix LIKE; archive revisions are stored as "sha256:<hex>".
    const prefix = query.commit.replace(/^sha256:/, "");
    where.push(Prisma.sql`(b."contextRevision" LIKE ${`${prefix}%`} OR b."contextRevision" LIKE ${`sha256:${prefix}%`})`);
  }
  if (query.q) {
    const pattern = likePattern(query.q);
    where.push(
      Prisma.sql`(v."name" ILIKE ${pattern} OR p."name" ILIKE ${pattern} OR b."imageTag" ILIKE ${pattern} OR b."error" ILIKE ${pattern} OR s."error" ILIKE ${pattern} OR b."id" = ${query.q})`,
    );
  }
  if (query.cursor) {
    const at = toIsoTimestamp(query.cursor.queuedAt);
    where.push(Prisma.sql`(b."queuedAt" < ${at} OR (b."queuedAt" = ${at} AND b."id" < ${query.cursor.id}))`);
  }
  return where;
};

export const searchBuilds = async (query: BuildSearchQuery): Promise<BuildSearchResult> => {
  const limit = query.limit ?? BUILD_PAGE_SIZE;
  const where = whereClauses(query);
  // One row more than the page tells whether an older page exists.
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT b."id"
    FROM "Build" b
    JOIN "Variant" v ON v."id" = b."variantId"
    JOIN "Project" p ON p."id" = b."projectId"
    LEFT JOIN "SmokeResult" s ON s."buildId" = b."id"
    ${where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ORDER BY b."queuedAt" DESC, b."id" DESC
    LIMIT ${limit + 1}`;
  const ids = rows.slice(0, limit).map((row) => row.id);
  const byId = new Map((await findBuilds({ ids, limit })).map((build) => [build.id, build]));
  const builds = ids.map((id) => byId.get(id)).filter((build): build is BuildSummaryDto => Boolean(build));
  const last = builds.at(-1);
  return { builds, nextCursor: rows.length > limit && last ? encodeBuildCursor(last) : null };
};
