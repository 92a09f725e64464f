import { describe, expect, it } from "vitest";
import { createBoundedCache } from "@/lib/data/bounded-cache";

describe("createBoundedCache", () => {
  it("keeps at most its limit, dropping the least recently used first", () => {
    const cache = createBoundedCache<number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now the most recent
    cache.set("c", 3);
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    cache.set("a", 4);
    expect(cache.get("a")).toBe(4);
    expect(cache.size).toBe(2);
  });
});
