// The project history by commit (issue 15): the stored commits in first-parent order, the
// builds at them, and the regressions named with the layer that grew, each linked to the
// layer diff (and the content diff where both images are indexed) against the base build.
// Bounded: at most MAX_COMMITS commits and their builds.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { toLayerDto, toNumber } from "@/lib/data/mappers";
import { findCommits, type CommitDto } from "@/lib/data/commits";
import { diffLayers } from "@/lib/builds/layer-diff";
import { orderFirstParent, pickHeadCommit } from "@/lib/history/commit-order";
import { findRegressions, type CommitBuild, type Regression, type RegressionVariant } from "@/lib/history/find-regressions";
import { describeRegression, findTopLayer, type TopLayer } from "@/lib/history/describe-regression";
import type { BuildStatus } from "@/lib/types";

const MAX_COMMITS = 500;
const MAX_DESCRIBED = 30;

type BuildRowRaw = {
  buildId: string;
  variantId: string;
  sha: string;
  status: string;
  totalSize: bigint | number | null;
  runs: boolean | null;
  finishedAt: Date;
  comparisonId: string | null;
};

export type CommitHistory = { commits: CommitDto[]; builds: CommitBuild[] };

/** Commits in first-parent order (oldest first) and the finished builds at them. */
export const findCommitHistory = async (projectId: string, options: { variantIds?: string[] | null } = {}): Promise<CommitHistory> => {
  const known = await findCommits(projectId, { limit: MAX_COMMITS });
  if (!known.length) return { commits: [], builds: [] };
  const variants = options.variantIds?.length ? Prisma.sql`AND b."variantId" IN (${Prisma.join(options.variantIds)})` : Prisma.empty;
  const rows = await db.$queryRaw<BuildRowRaw[]>`
    SELECT b.id AS "buildId", b."variantId", b."contextRevision" AS sha, b.status::text AS status, b."totalSize",
           s.runs, b."finishedAt", b."comparisonId"
    FROM "Build" b
    JOIN "Commit" c ON c."projectId" = b."projectId" AND c.sha = b."contextRevision"
    LEFT JOIN "SmokeResult" s ON s."buildId" = b.id
    WHERE b."projectId" = ${projectId}
      AND b."finishedAt" IS NOT NULL
      AND b.status::text IN ('SUCCEEDED', 'FAILED', 'INTERRUPTED')
      ${variants}
    ORDER BY b."finishedAt" DESC
    LIMIT ${MAX_COMMITS * 20}`;
  const builds: CommitBuild[] = rows.map((r) => ({
    buildId: r.buildId,
    variantId: r.variantId,
    sha: r.sha,
    status: r.status as BuildStatus,
    totalSize: toNumber(r.totalSize),
    runs: r.runs,
    finishedAt: new Date(r.finishedAt).toISOString(),
    comparisonId: r.comparisonId,
  }));
  const commits = orderFirstParent(known, pickHeadCommit(known, new Set(builds.map((b) => b.sha))), MAX_COMMITS);
  return { commits, builds };
};

export type NamedRegression = Regression & {
  variantName: string;
  subject: string | null;
  text: string;
  topLayer: TopLayer | null;
  /** The compare page with the layer diff of base → regressed build. */
  layerDiffHref: string;
  /** The content diff API, when both images' contents are indexed. */
  contentDiffHref: string | null;
};

const findLayers = async (buildIds: string[]) => {
  const rows = buildIds.length ? await db.layer.findMany({ where: { buildId: { in: buildIds } } }) : [];
  const byBuild = new Map<string, ReturnType<typeof toLayerDto>[]>();
  for (const row of rows) byBuild.set(row.buildId, [...(byBuild.get(row.buildId) ?? []), toLayerDto(row)]);
  return byBuild;
};

const findIndexedBuilds = async (buildIds: string[]) =>
  new Set(
    buildIds.length
      ? (await db.contentAnalysis.findMany({ where: { buildId: { in: buildIds }, image: "main", status: "SUCCEEDED" }, select: { buildId: true } })).map((a) => a.buildId)
      : [],
  );

/** The regressions of a history, newest first, each said in one line with its links. */
export const nameRegressions = async (history: CommitHistory, variants: RegressionVariant[]): Promise<NamedRegression[]> => {
  const regressions = findRegressions(history.commits, history.builds, variants).reverse().slice(0, MAX_DESCRIBED);
  const ids = [...new Set(regressions.flatMap((r) => [r.buildId, r.baseBuildId]))];
  const [layers, indexed] = await Promise.all([findLayers(regressions.filter((r) => r.kind === "size").flatMap((r) => [r.buildId, r.baseBuildId])), findIndexedBuilds(ids)]);
  const subjects = new Map(history.commits.map((c) => [c.sha, c.subject]));
  const names = new Map(variants.map((v) => [v.id, v.name]));
  return regressions.map((r) => {
    const topLayer = r.kind === "size" ? findTopLayer(diffLayers(layers.get(r.baseBuildId) ?? [], layers.get(r.buildId) ?? [])) : null;
    const subject = subjects.get(r.sha) ?? null;
    return {
      ...r,
      variantName: names.get(r.variantId) ?? r.variantId,
      subject,
      text: describeRegression(r, subject, topLayer),
      topLayer,
      layerDiffHref: `/compare?builds=${r.baseBuildId},${r.buildId}&baseline=${r.baseBuildId}&diff=${r.baseBuildId},${r.buildId}`,
      contentDiffHref: indexed.has(r.buildId) && indexed.has(r.baseBuildId) ? `/api/builds/${r.baseBuildId}/content/diff/${r.buildId}` : null,
    };
  });
};
