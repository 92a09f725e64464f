import { describe, expect, it } from "vitest";
import { LOGIN_POLICY, loginDelayMs } from "./policy";

describe("loginDelayMs", () => {
  it("is free within the allowance, then doubles from the base delay up to the cap", () => {
    const policy = { freeAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, windowMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) => loginDelayMs(n, policy))).toEqual([0, 0, 100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("defaults to 5 free attempts, a 10 s first wait and a 15 min cap", () => {
    expect(loginDelayMs(4)).toBe(0);
    expect(loginDelayMs(5)).toBe(10_000);
    expect(loginDelayMs(6)).toBe(20_000);
    expect(loginDelayMs(10_000)).toBe(LOGIN_POLICY.maxDelayMs);
  });
});
