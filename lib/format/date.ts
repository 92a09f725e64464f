// Dates as the UI and the reports print them. Absolute times are UTC with no locale, so the
// server, the browser and a PR comment print the same text (and hydration agrees).
import { formatDistanceToNowStrict } from "date-fns";

// An ISO timestamp (as the DTOs carry it, in UTC) as "2026-12-01 09:30 UTC"; with seconds,
// or without the zone where space is short and a tooltip carries it (the build header).
export const formatDateTime = (iso: string | null | undefined, { seconds = false, zone = true } = {}): string =>
  iso ? `${iso.slice(0, seconds ? 19 : 16).replace("T", " ")}${zone ? " UTC" : ""}` : "—";

// "3 minutes ago", "in 2 hours".
export const formatTimeAgo = (date: Date | string | number): string => formatDistanceToNowStrict(new Date(date), { addSuffix: true });
