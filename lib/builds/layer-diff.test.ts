import { describe, expect, it } from "vitest";
import { diffLayers, layerKey } from "@/lib/builds/layer-diff";
import type { LayerDto } from "@/lib/types";

let position = 0;
const layer = (instruction: string, size: number, extra: Partial<LayerDto> = {}): LayerDto => ({
  image: "main",
  position: position++,
  createdBy: instruction,
  instruction,
  size,
  isEmpty: false,
  isFromBase: false,
  layerDigest: null,
  ...extra,
});
const base = (digest: string, size = 148_537_737) => layer("Imported from -", size, { isFromBase: true, layerDigest: digest });

// The pyapp example's single-stage and multi-stage images, as recorded on engine 20.10.
const singleStage = () => [
  base("sha256:38c31f5a1f79"),
  layer("RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y     build-essential python3-dev", 759_256_948),
  layer("WORKDIR /app", 0),
  layer("COPY . /app", 10_002),
  layer("RUN python3 -m venv /opt/venv     && /opt/venv/bin/pip install --no-index .", 21_928_399),
  layer('CMD ["/opt/venv/bin/python" "-m" "layerdemo"]', 0, { isEmpty: true }),
];
const multiStage = () => [
  base("sha256:38c31f5a1f79"),
  layer("RUN apt-get update     && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3", 133_058_984),
  layer("COPY /opt/venv /opt/venv", 21_882_668),
  layer('CMD ["/opt/venv/bin/python" "-m" "layerdemo"]', 0, { isEmpty: true }),
];

describe("diffLayers", () => {
  it("pairs the shared base layer and lists the rest as removed and added", () => {
    const diff = diffLayers(singleStage(), multiStage());
    expect(diff.rows.map((r) => r.kind)).toEqual(["unchanged", "removed", "removed", "removed", "removed", "added", "added"]);
    expect(diff.rows[0].deltaBytes).toBe(0);
    expect(diff.totals).toMatchObject({ unchanged: 1, removed: 4, added: 2, grown: 0, shrunk: 0 });
    expect(diff.totals.sizeA).toBe(929_733_086);
    expect(diff.totals.sizeB).toBe(303_479_389);
    expect(diff.totals.deltaBytes).toBe(303_479_389 - 929_733_086);
  });

  it("leaves metadata-only history entries out", () => {
    const diff = diffLayers(singleStage(), singleStage());
    expect(diff.rows).toHaveLength(5);
    expect(diff.rows.every((r) => r.kind === "unchanged")).toBe(true);
    expect(diff.rows.some((r) => r.instruction.startsWith("CMD"))).toBe(false);
  });

  it("classifies the same instruction with a different size as grown or shrunk", () => {
    const a = [layer("COPY . /app", 1000), layer("RUN make", 5000)];
    const b = [layer("COPY . /app", 1500), layer("RUN make", 4000)];
    const diff = diffLayers(a, b);
    expect(diff.rows.map((r) => [r.kind, r.deltaBytes])).toEqual([
      ["grown", 500],
      ["shrunk", -1000],
    ]);
  });

  it("aligns around an inserted layer instead of shifting every pair", () => {
    const a = [layer("FROM-ish", 1), layer("RUN a", 10), layer("RUN c", 30)];
    const b = [layer("FROM-ish", 1), layer("RUN a", 10), layer("RUN b", 20), layer("RUN c", 30)];
    const diff = diffLayers(a, b);
    expect(diff.rows.map((r) => `${r.kind}:${r.instruction}`)).toEqual(["unchanged:FROM-ish", "unchanged:RUN a", "added:RUN b", "unchanged:RUN c"]);
    expect(diff.rows[2]).toMatchObject({ a: null, b: { size: 20 }, deltaBytes: 20 });
  });

  it("ignores whitespace differences in instructions", () => {
    const diff = diffLayers([layer("RUN  apt-get   install x", 5)], [layer("RUN apt-get install x", 5)]);
    expect(diff.rows.map((r) => r.kind)).toEqual(["unchanged"]);
  });

  it("never pairs base layers with different digests", () => {
    const diff = diffLayers([base("sha256:aaa")], [base("sha256:bbb")]);
    expect(diff.rows.map((r) => r.kind)).toEqual(["removed", "added"]);
    expect(layerKey(base("sha256:aaa"))).not.toBe(layerKey(base("sha256:bbb")));
  });

  it("ignores the build image of a builder-pattern build", () => {
    const diff = diffLayers([layer("RUN x", 10, { image: "build" })], [layer("RUN y", 10)]);
    expect(diff.rows.map((r) => r.kind)).toEqual(["added"]);
  });

  it("handles an empty side", () => {
    expect(diffLayers([], []).rows).toEqual([]);
    expect(diffLayers([], multiStage()).totals.added).toBe(3);
  });
});
