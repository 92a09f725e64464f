// The compare page's URL: `?comparison=<id>` or `?builds=a,b,…`, plus `baseline=<buildId>`,
// `diff=<a>,<b>` and `project=<id>` for the build picker. Pure; bad values are dropped
// rather than failing the page.
import { z } from "zod";
import { splitListParam } from "@/lib/history/history-params";

export const MAX_PICKED_BUILDS = 8;

const id = z.string().max(64).regex(/^[A-Za-z0-9_-]+$/);

type RawParam = string | string[] | undefined;
const first = (value: RawParam) => (Array.isArray(value) ? value[0] : value);
const optionalId = (value: RawParam) => {
  const parsed = id.safeParse(first(value));
  return parsed.success ? parsed.data : null;
};
const idsOf = (value: RawParam) => splitListParam(value).filter((v) => id.safeParse(v).success);

export type CompareParams = {
  comparisonId: string | null;
  buildIds: string[];
  baselineId: string | null;
  diff: [string, string] | null;
  projectId: string | null;
};

export const parseCompareParams = (params: Record<string, RawParam>): CompareParams => {
  const diff = idsOf(params.diff);
  return {
    comparisonId: optionalId(params.comparison),
    buildIds: idsOf(params.builds).slice(0, MAX_PICKED_BUILDS),
    baselineId: optionalId(params.baseline),
    diff: diff.length >= 2 && diff[0] !== diff[1] ? [diff[0], diff[1]] : null,
    projectId: optionalId(params.project),
  };
};

// A compare URL with some params changed; commas stay readable.
export const buildCompareHref = (params: CompareParams, change: Partial<CompareParams> = {}): string => {
  const next = { ...params, ...change };
  const query = new URLSearchParams();
  if (next.comparisonId) query.set("comparison", next.comparisonId);
  else if (next.buildIds.length) query.set("builds", next.buildIds.join(","));
  else if (next.projectId) query.set("project", next.projectId);
  if (next.baselineId) query.set("baseline", next.baselineId);
  if (next.diff) query.set("diff", next.diff.join(","));
  const text = query.toString().replaceAll("%2C", ",");
  return text ? `/compare?${text}` : "/compare";
};

// The diff pair: the one asked for when both builds are in the view, else the first two
// builds that have layers.
export const chooseDiffPair = (requested: [string, string] | null, candidates: string[]): [string, string] | null => {
  if (requested && candidates.includes(requested[0]) && candidates.includes(requested[1])) return requested;
  return candidates.length >= 2 ? [candidates[0], candidates[1]] : null;
};
