import { describe, expect, it } from "vitest";
import { buildSearchSchema, encodeBuildCursor, endOfRange, toBuildSearchParams } from "./build-search";

describe("buildSearchSchema", () => {
  it("reads a submitted filter form: blanks are no filter, flags are words", () => {
    const parsed = buildSearchSchema.parse({ q: "  ", status: "", runs: "no", overBudget: "yes", builder: "CLASSIC", commit: " ABCDEF12 ", from: "2026-11-01" });
    expect(parsed).toEqual({ runs: false, overBudget: true, builder: "CLASSIC", commit: "abcdef12", from: "2026-11-01" });
  });

  it("round-trips a page cursor", () => {
    const cursor = encodeBuildCursor({ queuedAt: "2026-11-20T10:00:00.123Z", id: "cmx5l4tok000y7w7dc67l4r70" });
    expect(buildSearchSchema.parse({ cursor }).cursor).toEqual({ queuedAt: new Date("2026-11-20T10:00:00.123Z"), id: "cmx5l4tok000y7w7dc67l4r70" });
  });

  it("says what is wrong with each bad value at once", () => {
    const result = buildSearchSchema.safeParse({ status: "done", limit: "0", commit: "zz", from: "2026-13-45", cursor: "1_a b" });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^status: status is one of/),
        "limit: limit is at least 1",
        "commit: commit is 4 to 64 hex digits of the revision",
        "from: dates are YYYY-MM-DD",
        "cursor: the page cursor is not valid: start again from the first page",
      ]),
    );
  });

  it("includes the whole last day of a range", () => {
    expect(endOfRange("2026-11-02").toISOString()).toBe("2026-11-03T00:00:00.000Z");
    expect(endOfRange("2026-11-02T12:00:00Z").toISOString()).toBe("2026-11-02T12:00:00.000Z");
  });

  it("writes the filters back into a query, without empty ones", () => {
    expect(toBuildSearchParams({ projectId: "p1", status: "", q: "pip install" }, { cursor: "1_x" }).toString()).toBe("projectId=p1&q=pip+install&cursor=1_x");
  });
});
