import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { countLayers, describeLayerCounts, displayInstruction } from "@/lib/builds/layer-counts";

// A real image config of the multi-stage example on a `docker import`ed base (lib/docker/__fixtures__/history-multi-buildkit.json).
type Fixture = { configHistory: Array<{ comment?: string; empty_layer?: boolean }>; diffIds: string[] };
const fixture = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../docker/__fixtures__/history-multi-buildkit.json"), "utf8")) as Fixture;

describe("countLayers", () => {
  it("counts the table's rows, the summary's filesystem layers and the chart's own layers from one list", () => {
    const layers = fixture.configHistory.map((entry, i) => ({ isEmpty: !!entry.empty_layer, isFromBase: i === 0 }));
    const counts = countLayers(layers);
    expect(counts.historyEntries).toBe(fixture.configHistory.length);
    // The filesystem layers are the image's diff ids, one each.
    expect(counts.filesystemLayers).toBe(fixture.diffIds.length);
    expect(counts.baseLayers).toBe(1);
    expect(counts.ownLayers).toBe(fixture.diffIds.length - 1);
    expect(counts.filesystemLayers + counts.metadataEntries).toBe(counts.historyEntries);
  });

  it("says how the numbers differ in words", () => {
    expect(describeLayerCounts({ historyEntries: 12, filesystemLayers: 7, baseLayers: 4, ownLayers: 3, metadataEntries: 5 })).toBe(
      "12 history entries: 7 filesystem layers (4 from the base image, 3 own) and 5 metadata-only entries",
    );
    expect(describeLayerCounts({ historyEntries: 1, filesystemLayers: 1, baseLayers: 1, ownLayers: 0, metadataEntries: 0 })).toBe(
      "1 history entry: 1 filesystem layer (1 from the base image, 0 own)",
    );
  });

  it("reads a docker-imported base layer as such", () => {
    expect(displayInstruction("Imported from -")).toBe("base image (imported)");
    expect(displayInstruction("RUN make")).toBe("RUN make");
  });
});
