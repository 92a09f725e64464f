import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chainIds, findLegacyLayerPosition } from "@/lib/content/legacy-v1-id";

// `docker save` of the multi-stage example on engine 20.10.24: `<v1 id>/json` of its three layers,
// and its RootFS.Layers (docker image inspect).
const DIFF_IDS = [
  "sha256:a5f142ea36837c2591e4a5870536cb6bcae4d047b4ccb2250f9ee89d48ebf110",
  "sha256:ec84e4c2f5b814e7d5aa74dcfd2c35953867b41510211edd4e737534f3011b79",
  "sha256:294e3dffa12b5321ad1a1246ff617717ac23d2596b52f548a54436c4274c0c5c",
];
const V1_IDS = [
  "fb5d050f80b281033c4773cf49434f42777343ed01f45ddc1f980769b7a4f70c",
  "c01ec470afe192684948dc628fb6c5e4b09befc64ab402a4e416b280aa1dc7fc",
  "52d10eda778dceca6f3b2d8faaf17b6156c66d6a788f922d5d8cfb8e5b80dcfb",
];
const fixture = (id: string) => fs.readFileSync(path.join(__dirname, "__fixtures__", `v1-${id}.json`), "utf8");

describe("legacy export v1 ids", () => {
  it("names the layer position of every `<v1 id>/json` before its layer.tar arrives (base, middle and top layer)", () => {
    const chains = chainIds(DIFF_IDS);
    expect(V1_IDS.map((id) => findLegacyLayerPosition(fixture(id), chains))).toEqual([0, 1, 2]);
  });

  it("finds no position for a layer of another chain", () => {
    const other = chainIds([DIFF_IDS[1], DIFF_IDS[0], DIFF_IDS[2]]);
    expect(V1_IDS.map((id) => findLegacyLayerPosition(fixture(id), other))).toEqual([-1, -1, -1]);
    expect(findLegacyLayerPosition("not json", chainIds(DIFF_IDS))).toBe(-1);
  });
});
