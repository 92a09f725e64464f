import { describe, expect, it } from "vitest";
import { logFlushDelay } from "@/lib/builds/log-flush-delay";

describe("logFlushDelay", () => {
  it("sends the first line and a line after a quiet spell at once, a burst at most once per interval", () => {
    expect(logFlushDelay(-Infinity, 1000, 60)).toBe(0);
    expect(logFlushDelay(1000, 1500, 60)).toBe(0);
    expect(logFlushDelay(1000, 1020, 60)).toBe(40);
    expect(logFlushDelay(1000, 1000, 60)).toBe(60);
  });
});
