import { describe, expect, it } from "vitest";
import { pushHookBranchSchema, pushPollSchema } from "@/lib/validations/push";

describe("push settings validation", () => {
  it("bounds the poll interval and strips refs/heads/ from a branch", () => {
    expect(pushPollSchema.parse({ branch: "refs/heads/release/1.x", intervalSeconds: "60", enabled: true })).toEqual({ branch: "release/1.x", intervalSeconds: 60, enabled: true });
    expect(pushPollSchema.safeParse({ branch: "main", intervalSeconds: "59", enabled: true }).success).toBe(false);
    expect(pushPollSchema.safeParse({ branch: "main", intervalSeconds: "86401", enabled: true }).success).toBe(false);
  });

  it("refuses branch names git would not accept (options, ranges, reflog syntax, spaces)", () => {
    for (const branch of ["-oops", "a..b", "main@{1}", "has space", "x~1", "ends/", "a:b"])
      expect(pushPollSchema.safeParse({ branch, intervalSeconds: 300, enabled: true }).success, branch).toBe(false);
    expect(pushHookBranchSchema.parse({ branch: "" })).toEqual({ branch: null });
  });
});
