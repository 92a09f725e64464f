import { describe, expect, it } from "vitest";
import { buildPackageMatrix } from "@/lib/content/package-matrix";
import type { PackageRecord } from "@/lib/content/types";

const pkg = (name: string, bytes: number, version = "1"): PackageRecord => ({ ecosystem: "deb", name, version, bytes, files: 1, layer: 0 });

describe("buildPackageMatrix", () => {
  it("puts packages that differ between builds first, largest first, with null where a build lacks one", () => {
    const matrix = buildPackageMatrix([
      { buildId: "single", packages: [pkg("libc6", 100), pkg("gcc-12", 5000), pkg("python3", 300)] },
      { buildId: "multi", packages: [pkg("libc6", 100), pkg("python3", 300)] },
      { buildId: "pending", packages: null },
    ]);
    expect(matrix.buildIds).toEqual(["single", "multi", "pending"]);
    expect(matrix.rows.map((r) => [r.key, r.bytes, r.differs])).toEqual([
      ["deb:gcc-12", [5000, null, null], true],
      ["deb:python3", [300, 300, null], false],
      ["deb:libc6", [100, 100, null], false],
    ]);
  });

  it("is bounded, with a count of the rows left out", () => {
    const many = Array.from({ length: 10 }, (_, i) => pkg(`p${i}`, i + 1));
    const matrix = buildPackageMatrix([{ buildId: "a", packages: many }], 3);
    expect(matrix.rows.map((r) => r.name)).toEqual(["p9", "p8", "p7"]);
    expect(matrix.more).toBe(7);
  });
});
