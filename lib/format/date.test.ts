import { describe, expect, it } from "vitest";
import { formatDateTime, formatTimeAgo } from "@/lib/format/date";

describe("formatDateTime", () => {
  it("prints an ISO timestamp in UTC to the minute, or to the second", () => {
    expect(formatDateTime("2026-12-01T09:30:45.123Z")).toBe("2026-12-01 09:30 UTC");
    expect(formatDateTime("2026-12-01T09:30:45.123Z", { seconds: true })).toBe("2026-12-01 09:30:45 UTC");
    expect(formatDateTime("2026-12-01T09:30:45.123Z", { seconds: true, zone: false })).toBe("2026-12-01 09:30:45");
  });

  it("prints a dash for a missing time", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime(undefined, { seconds: true })).toBe("—");
  });
});

describe("formatTimeAgo", () => {
  it("says how long ago, from a Date or an ISO string", () => {
    expect(formatTimeAgo(new Date(Date.now() - 3 * 60_000))).toBe("3 minutes ago");
    expect(formatTimeAgo(new Date(Date.now() - 2 * 3600_000).toISOString())).toBe("2 hours ago");
  });
});
