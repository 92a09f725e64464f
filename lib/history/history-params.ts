// The project page's chart filters as URL search params: `?range=7d&variants=a,b`.
// Pure: parsed by the page, and used to build the filter links.
import { z } from "zod";

export const HISTORY_RANGES = ["24h", "7d", "30d", "all"] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
const DEFAULT_RANGE: HistoryRange = "30d";

const RANGE_MS: Record<HistoryRange, number | null> = {
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
  "30d": 30 * 24 * 3600_000,
  all: null,
};

type RawParam = string | string[] | undefined;

// Accepts both `a,b` and repeated params (`?x=a&x=b`, what a plain GET form sends).
export const splitListParam = (value: RawParam): string[] =>
  [...new Set((Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean))];

const idList = z.array(z.string().max(64).regex(/^[A-Za-z0-9_-]+$/)).max(50);

// sizeBasis (issue 17, `?size=compressed`): the size chart shows compressed sizes; absent: on-disk.
export type HistoryParams = { range: HistoryRange; variantIds: string[] | null; sizeBasis?: "compressed" };

export const parseHistoryParams = (params: { range?: RawParam; variants?: RawParam; size?: RawParam }): HistoryParams => {
  const range = z.enum(HISTORY_RANGES).catch(DEFAULT_RANGE).parse(Array.isArray(params.range) ? params.range[0] : params.range);
  const ids = idList.safeParse(splitListParam(params.variants));
  const size = Array.isArray(params.size) ? params.size[0] : params.size;
  return { range, variantIds: ids.success && ids.data.length ? ids.data : null, ...(size === "compressed" ? { sizeBasis: "compressed" as const } : {}) };
};

// Taken to the minute: a chart viewed again within the minute asks for the same range, which
// lib/data/charts.ts answers from its cache while the history has not changed.
export const rangeStart = (range: HistoryRange, now: Date = new Date()): Date | null => {
  const ms = RANGE_MS[range];
  return ms === null ? null : new Date(Math.floor((now.getTime() - ms) / 60_000) * 60_000);
};

// The query string for a filter link; defaults are left out to keep URLs short.
export const buildHistoryQuery = (params: HistoryParams, extra: Record<string, string | null | undefined> = {}): string => {
  const query = new URLSearchParams();
  if (params.range !== DEFAULT_RANGE) query.set("range", params.range);
  if (params.variantIds?.length) query.set("variants", params.variantIds.join(","));
  if (params.sizeBasis === "compressed") query.set("size", "compressed");
  for (const [k, v] of Object.entries(extra)) if (v) query.set(k, v);
  const text = query.toString().replaceAll("%2C", ",");
  return text ? `?${text}` : "";
};

// Toggling a variant in the filter: an empty selection means every variant.
export const toggleVariant = (params: HistoryParams, variantId: string, allIds: string[]): HistoryParams => {
  const current = params.variantIds ?? allIds;
  const next = current.includes(variantId) ? current.filter((id) => id !== variantId) : [...current, variantId];
  const ordered = allIds.filter((id) => next.includes(id));
  // The last visible variant cannot be switched off: an empty chart helps nobody.
  if (ordered.length === 0) return params;
  return { ...params, variantIds: ordered.length === allIds.length ? null : ordered };
};
