// What the build and compare pages show about registries and pull cost (issue 17): the push,
// the compressed size and where it comes from, the base image, and the pull-cost figures computed
// from the recorded layers (lib/analysis/pull-cost.ts). Bounded: one build, its previous build and
// the latest successful build of each other variant of the project (at most 50).
import "server-only";
import { db } from "@/lib/db";
import { computeComparisonPullCost, computePullCost, type ComparisonPullCost, type PullCost, type PullLayer } from "@/lib/analysis/pull-cost";

const MAX_VARIANTS = 50;

export type BuildRegistryView = {
  imageStore: string | null;
  compressedSize: number | null;
  /** "MANIFEST" | "ESTIMATED" | "CONTENT_STORE" | null */
  compressedSource: string | null;
  push: { status: string; ref: string | null; digest: string | null; error: string | null; at: string | null } | null;
  baseImage: { ref: string; digest: string | null; changedFromPrevious: boolean | null } | null;
  pullCost: PullCost | null;
};

const layersOf = async (buildIds: string[]): Promise<Map<string, PullLayer[]>> => {
  const rows = await db.layer.findMany({
    where: { buildId: { in: buildIds }, image: "main", isEmpty: false },
    orderBy: [{ buildId: "asc" }, { position: "asc" }],
    select: { buildId: true, compressedSize: true, compressedDigest: true, layerDigest: true, isFromBase: true },
  });
  const byBuild = new Map<string, PullLayer[]>();
  for (const row of rows) {
    const list = byBuild.get(row.buildId) ?? [];
    list.push({ key: row.compressedDigest ?? row.layerDigest ?? `${row.buildId}:${list.length}`, compressedSize: Number(row.compressedSize ?? 0), isFromBase: row.isFromBase });
    byBuild.set(row.buildId, list);
  }
  return byBuild;
};

const complete = (layers: PullLayer[] | undefined, rowsHaveSizes: boolean) => (layers && rowsHaveSizes ? layers : null);

export const findBuildRegistryView = async (buildId: string, bandwidthBytesPerSecond: number): Promise<BuildRegistryView | null> => {
  const build = await db.build.findUnique({
    where: { id: buildId },
    select: {
      id: true, variantId: true, projectId: true, queuedAt: true, imageStore: true, compressedSize: true, compressedSource: true,
      pushStatus: true, pushRef: true, pushDigest: true, pushError: true, pushedAt: true, baseImageRef: true, baseImageDigest: true,
    },
  });
  if (!build) return null;
  const previous = await db.build.findFirst({
    where: { variantId: build.variantId, status: "SUCCEEDED", queuedAt: { lt: build.queuedAt }, compressedSize: { not: null } },
    orderBy: { queuedAt: "desc" },
    select: { id: true, baseImageDigest: true },
  });
  const others = await db.build.findMany({
    where: { projectId: build.projectId, variantId: { not: build.variantId }, status: "SUCCEEDED", compressedSize: { not: null } },
    orderBy: { queuedAt: "desc" },
    distinct: ["variantId"],
    take: MAX_VARIANTS,
    select: { id: true },
  });
  const layers = await layersOf([build.id, ...(previous ? [previous.id] : []), ...others.map((other) => other.id)]);
  const own = complete(layers.get(build.id), build.compressedSize !== null);
  return {
    imageStore: build.imageStore,
    compressedSize: build.compressedSize === null ? null : Number(build.compressedSize),
    compressedSource: build.compressedSource,
    push: build.pushStatus
      ? { status: build.pushStatus, ref: build.pushRef, digest: build.pushDigest, error: build.pushError, at: build.pushedAt?.toISOString() ?? null }
      : null,
    baseImage: build.baseImageRef
      ? { ref: build.baseImageRef, digest: build.baseImageDigest, changedFromPrevious: previous?.baseImageDigest ? previous.baseImageDigest !== build.baseImageDigest : null }
      : null,
    pullCost: own
      ? computePullCost(own, {
          bandwidthBytesPerSecond,
          previous: previous ? (layers.get(previous.id) ?? null) : null,
          otherVariants: others.map((other) => layers.get(other.id) ?? []),
        })
      : null,
  };
};

/** Pull cost of a comparison's builds together versus separately; null until every build has compressed sizes. */
export const findComparisonPullCost = async (buildIds: string[]): Promise<ComparisonPullCost | null> => {
  if (!buildIds.length) return null;
  const rows = await db.build.findMany({ where: { id: { in: buildIds.slice(0, MAX_VARIANTS) } }, select: { id: true, compressedSize: true } });
  if (rows.some((row) => row.compressedSize === null)) return null;
  const layers = await layersOf(rows.map((row) => row.id));
  return computeComparisonPullCost(rows.map((row) => layers.get(row.id) ?? []));
};
