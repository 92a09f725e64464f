import { describe, expect, it } from "vitest";
import df from "./__fixtures__/system-df-trimmed.json";
import { summariseDiskUsage, type SystemDf } from "./disk-usage";

describe("summariseDiskUsage", () => {
  it("sums a real /system/df answer per kind: shared layers once, in-use images and cache not reclaimable", () => {
    const usage = summariseDiskUsage(df as SystemDf);
    const row = (kind: string) => usage.rows.find((r) => r.kind === kind)!;
    expect(usage.rows.map((r) => r.kind)).toEqual(["images", "buildCache", "containers", "volumes"]);
    expect(row("images")).toEqual({ kind: "images", count: 3, active: 1, sizeBytes: 9090938546, reclaimableBytes: 9090938546 - (1376476041 - 116667925) });
    // The shared record is not counted; the in-use one is counted but not reclaimable.
    expect(row("buildCache")).toEqual({ kind: "buildCache", count: 4, active: 1, sizeBytes: 1343488 + 547, reclaimableBytes: 547 });
    expect(row("containers")).toEqual({ kind: "containers", count: 1, active: 0, sizeBytes: 125041531, reclaimableBytes: 125041531 });
    expect(row("volumes")).toEqual({ kind: "volumes", count: 0, active: 0, sizeBytes: 0, reclaimableBytes: 0 });
    expect(usage.totalBytes).toBe(9090938546 + 1343488 + 547 + 125041531);
  });

  it("treats missing lists and the engine's -1 (unknown) sizes as nothing", () => {
    const usage = summariseDiskUsage({ LayersSize: -1, Images: null, Volumes: [{ UsageData: { Size: -1, RefCount: -1 } }] });
    expect(usage.totalBytes).toBe(0);
    expect(usage.rows.find((r) => r.kind === "volumes")).toMatchObject({ count: 1, sizeBytes: 0 });
  });
});
