import { describe, expect, it } from "vitest";
import { sortLayers } from "@/components/builds/layer-table";
import type { LayerDto } from "@/lib/types";

const layer = (position: number, size: number, instruction: string): LayerDto => ({
  image: "main",
  position,
  createdBy: instruction,
  instruction,
  size,
  isEmpty: size === 0,
  isFromBase: position === 0,
  layerDigest: null,
});

const layers = [layer(0, 148_000_000, "Imported from -"), layer(1, 133_000_000, "RUN apt-get install python3"), layer(2, 21_000_000, "COPY /opt/venv /opt/venv"), layer(3, 0, "CMD [\"python\"]")];

describe("sortLayers", () => {
  it("sorts by size largest first, ties by position", () => {
    expect(sortLayers([...layers, layer(4, 0, "USER app")], { key: "size", direction: "descending" }).map((l) => l.position)).toEqual([0, 1, 2, 3, 4]);
  });

  it("sorts by instruction alphabetically and by position both ways", () => {
    expect(sortLayers(layers, { key: "instruction", direction: "ascending" }).map((l) => l.position)).toEqual([3, 2, 0, 1]);
    expect(sortLayers(layers, { key: "position", direction: "descending" }).map((l) => l.position)).toEqual([3, 2, 1, 0]);
  });

  it("leaves the input untouched", () => {
    sortLayers(layers, { key: "size", direction: "ascending" });
    expect(layers.map((l) => l.position)).toEqual([0, 1, 2, 3]);
  });
});
