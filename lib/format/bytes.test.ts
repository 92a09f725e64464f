import { describe, expect, it } from "vitest";
import { formatBytes, formatDelta, formatDuration, formatPercent, shortId } from "./bytes";

describe("formatBytes", () => {
  it("uses decimal units like docker images", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(148_537_737)).toBe("148.5 MB");
    expect(formatBytes(799_000_000)).toBe("799.0 MB");
    expect(formatBytes(1_500_000_000)).toBe("1.5 GB");
    expect(formatBytes(null)).toBe("—");
  });
  it("formats deltas and percentages with a sign", () => {
    expect(formatDelta(-445_000_000)).toBe("−445.0 MB");
    expect(formatDelta(12_000)).toBe("+12.0 kB");
    expect(formatPercent(-0.557)).toBe("−55.7 %");
    expect(formatPercent(0)).toBe("± 0.0 %".replace(" ", ""));
  });
  it("formats durations and ids", () => {
    expect(formatDuration(450)).toBe("450 ms");
    expect(formatDuration(12_340)).toBe("12.3 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(shortId("sha256:0123456789abcdef0123")).toBe("0123456789ab");
  });
});
