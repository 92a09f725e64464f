// The history chart's x-axis as a URL param (issue 15): `?axis=commits` (first-parent order)
// or time (the default, left out of the URL). Pure.
import { z } from "zod";

export const HISTORY_AXES = ["time", "commits"] as const;
export type HistoryAxis = (typeof HISTORY_AXES)[number];

export const parseHistoryAxis = (value: string | string[] | undefined): HistoryAxis =>
  z.enum(HISTORY_AXES).catch("time").parse(Array.isArray(value) ? value[0] : value);

/** The extra query param for buildHistoryQuery's `extra`: nothing for the default. */
export const axisQuery = (axis: HistoryAxis): Record<string, string | null> => ({ axis: axis === "time" ? null : axis });
