// What the content endpoints, pages, reports and the CLI show of a build's image contents:
// the analysis state, one page of the file browser, a treemap subtree, packages, findings
// and the diff of two builds. Reads only through lib/data/content.ts; the shaping is the
// pure lib/content modules. A few merged filesystems are kept in memory (keyed by the
// analysis' finish time, so a re-analysis is never served stale) because the file browser
// asks for many pages of the same one.
import "server-only";
import { AppError } from "@/lib/errors";
import { getBuildStatus } from "@/lib/data/builds";
import { findContentAnalysis, getFinalFilesystemWithChanges, type ContentAnalysisDto } from "@/lib/data/content";
import { listDeleted, type DeletedRow, type FilesystemChanges } from "@/lib/content/changes";
import { findPackages } from "@/lib/content/packages";
import { diffContents, type ContentDiff } from "@/lib/content/diff";
import { buildTree, indexDirectories, listEntries, searchEntries, sortEntries, type DirectoryIndex, type FilePage, type SortedEntries, type TreeNode } from "@/lib/content/tree";
import type { FinalFilesystem } from "@/lib/content/types";
import type { ContentDiffQuery, ContentListingQuery, ContentTreeQuery } from "@/lib/validations/content";

/** The analysis without its (large) result: what a polling page needs. */
export type ContentStateDto = Omit<ContentAnalysisDto, "result">;

export type ContentSummaryDto = ContentStateDto & {
  result: Omit<NonNullable<ContentAnalysisDto["result"]>, "packages" | "unowned"> & { packageCount: number } | null;
};

const stateOf = ({ result: _result, ...state }: ContentAnalysisDto): ContentStateDto => state;

/** The analysis of a build's image (null when none was queued); NOT_FOUND for an unknown build. */
export const findContentState = async (buildId: string, image = "main"): Promise<ContentAnalysisDto | null> => {
  await getBuildStatus(buildId);
  return findContentAnalysis(buildId, image);
};

const describeProgress = (analysis: ContentAnalysisDto) => {
  const { layersDone, layersTotal } = analysis.progress;
  return layersTotal ? ` (${layersDone} of ${layersTotal} layers)` : "";
};

/** The finished analysis, or the reason there is none: NOT_FOUND (none) or CONFLICT (queued, running, failed). */
export const getFinishedAnalysis = async (buildId: string, image = "main"): Promise<ContentAnalysisDto & { result: NonNullable<ContentAnalysisDto["result"]> }> => {
  const analysis = await findContentState(buildId, image);
  if (!analysis) throw new AppError("NOT_FOUND", `build ${buildId} has no content analysis (only successful builds are analysed)`);
  if (analysis.status === "QUEUED" || analysis.status === "RUNNING")
    throw new AppError("CONFLICT", `the content analysis of build ${buildId} is ${analysis.status.toLowerCase()}${describeProgress(analysis)}; try again shortly`);
  if (analysis.status === "FAILED" || !analysis.result)
    throw new AppError("CONFLICT", `the content analysis of build ${buildId} failed: ${analysis.error?.message ?? "no result was recorded"}`);
  return analysis as ContentAnalysisDto & { result: NonNullable<ContentAnalysisDto["result"]> };
};

type ContentView = {
  analysis: ContentAnalysisDto & { result: NonNullable<ContentAnalysisDto["result"]> };
  fs: FinalFilesystem;
  index: DirectoryIndex;
  sorted: SortedEntries;
  ownerOf: (path: string) => string | undefined;
  changes: FilesystemChanges;
  layers: { index: number; isFromBase: boolean }[];
};

const MAX_CACHED_VIEWS = 4;
// On globalThis: Next.js bundles each route and page apart, and one cache per bundle would
// merge (and hold) the same filesystem once per endpoint.
const holder = globalThis as typeof globalThis & { layerboardContentViews?: Map<string, Promise<ContentView>> };
const views = (holder.layerboardContentViews ??= new Map<string, Promise<ContentView>>());

const buildView = async (analysis: ContentView["analysis"], buildId: string, image: string): Promise<ContentView> => {
  const { filesystem: fs, changes } = await getFinalFilesystemWithChanges(buildId, image);
  const layers = analysis.result.layers.map((l) => ({ index: l.index, isFromBase: l.isFromBase }));
  const { ownerOf } = findPackages(fs);
  return { analysis, fs, index: indexDirectories(fs, layers), sorted: sortEntries(fs), ownerOf, changes, layers };
};

const getContentView = async (buildId: string, image: string): Promise<ContentView> => {
  const analysis = await getFinishedAnalysis(buildId, image);
  const key = `${buildId}:${image}:${analysis.finishedAt}`;
  let view = views.get(key);
  if (!view) {
    view = buildView(analysis, buildId, image);
    views.set(key, view);
    view.catch(() => views.delete(key));
    while (views.size > MAX_CACHED_VIEWS) views.delete(views.keys().next().value!);
  } else {
    // Most recently used last, so the oldest is evicted first.
    views.delete(key);
    views.set(key, view);
  }
  return view;
};

export type ContentListingDto = FilePage & { show: "present"; path: string; query: string | null };

/** Paths higher layers deleted: each with the layer whose version went (base or own) and the layer that deleted it. */
export type DeletedListingDto = {
  show: "deleted";
  rows: DeletedRow[];
  total: number;
  nextCursor: string | null;
  path: string;
  query: string | null;
  /** Every deleted path of the image, and how many of them the cap left out (not listed). */
  deletedTotal: number;
  deletedOmitted: number;
};

const isBase = (view: ContentView, layer: number) => view.layers.find((l) => l.index === layer)?.isFromBase ?? false;

export const getContentListing = async (buildId: string, query: ContentListingQuery): Promise<ContentListingDto | DeletedListingDto> => {
  const view = await getContentView(buildId, query.image);
  if (query.show === "deleted") {
    const { changes } = view;
    const known = query.path === "/" || view.fs.entries.has(query.path) || changes.deleted.some((d) => d.path === query.path);
    if (!known) throw new AppError("NOT_FOUND", `${query.path} is neither in the image nor deleted from it`);
    const page = listDeleted(changes, { path: query.path, depth: query.q ? undefined : query.depth, query: query.q, cursor: query.cursor, limit: query.limit });
    const rows = page.rows.map((row) => ({ ...row, isFromBase: isBase(view, row.layer), owner: view.ownerOf(row.path) ?? null }));
    return { show: "deleted", ...page, rows, path: query.path, query: query.q ?? null, deletedTotal: changes.deletedTotal, deletedOmitted: changes.deletedOmitted };
  }
  if (query.path !== "/" && !view.fs.entries.has(query.path)) throw new AppError("NOT_FOUND", `${query.path} is not in the image`);
  const options = { layers: view.layers, ownerOf: view.ownerOf, changes: view.changes, cursor: query.cursor, limit: query.limit };
  const page = query.q
    ? searchEntries(view.fs, view.index, view.sorted, query.path, query.q, options)
    : listEntries(view.fs, view.index, view.sorted, query.path, query.depth, options);
  return { show: "present", ...page, path: query.path, query: query.q ?? null };
};

export const getContentTree = async (buildId: string, query: ContentTreeQuery): Promise<TreeNode> => {
  const view = await getContentView(buildId, query.image);
  const tree = buildTree(view.fs, view.index, view.layers, query.path, { depth: query.depth, topN: query.top });
  if (!tree) throw new AppError("NOT_FOUND", `${query.path} is not in the image`);
  return tree;
};

export const getContentPackages = async (buildId: string, image = "main") => {
  const { result } = await getFinishedAnalysis(buildId, image);
  return { packages: [...result.packages].sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name)), unowned: result.unowned };
};

/** State and progress always; findings, waste and totals once the analysis succeeded. */
export const getContentFindings = async (buildId: string, image = "main"): Promise<ContentSummaryDto | null> => {
  const analysis = await findContentState(buildId, image);
  if (!analysis) return null;
  if (!analysis.result) return { ...stateOf(analysis), result: null };
  const { packages, unowned: _unowned, ...rest } = analysis.result;
  return { ...stateOf(analysis), result: { ...rest, packageCount: packages.length } };
};

export type ContentDiffDto = { a: { buildId: string }; b: { buildId: string }; diff: ContentDiff };

/** B − A: what build B's image has that build A's has not, and the reverse. */
export const getContentDiff = async (buildA: string, buildB: string, query: ContentDiffQuery): Promise<ContentDiffDto> => {
  const a = await getContentView(buildA, query.image);
  const b = await getContentView(buildB, query.image);
  const side = (v: ContentView) => ({ fs: v.fs, packages: v.analysis.result.packages, ownerOf: v.ownerOf });
  return { a: { buildId: buildA }, b: { buildId: buildB }, diff: diffContents(side(a), side(b), { groupDepth: query.depth, topPerGroup: query.top }) };
};
