// configFromHistory against the configs `docker save` wrote for the same images (engine 20.10).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { configFromHistory, mapLayers } from "@/lib/docker/analyse-image";

type HistoryEntry = { Id: string; Created: number; CreatedBy: string; Comment: string; Size: number; Tags: string[] | null };
type Captured = {
  history: HistoryEntry[];
  rootfsLayers: string[];
  savedConfig: { history: Array<{ created_by: string | null; empty_layer: boolean }>; diff_ids: string[] };
};
const captured = JSON.parse(fs.readFileSync(path.join(__dirname, "__fixtures__", "layer-mapping-captures.json"), "utf8")) as Record<string, Captured>;
const oldestFirst = (history: HistoryEntry[]) => [...history].reverse();

// Older captures (clean-instruction.test.ts) carry the config history but not the layer list: one id per non-empty entry.
type Form = { history: HistoryEntry[]; configHistory: Array<{ empty_layer?: boolean }> };
const readForm = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, "__fixtures__", `history-${name}.json`), "utf8")) as Form;

describe("configFromHistory", () => {
  test.each(["buildkit-workdir", "buildkit-workdir-and-empty-run"])("settles %s exactly as the saved config, without the export", (name) => {
    const fixture = captured[name];
    const history = oldestFirst(fixture.history);
    const config = configFromHistory(history, fixture.rootfsLayers);
    expect(config?.history?.map((entry) => entry.empty_layer)).toEqual(fixture.savedConfig.history.map((entry) => entry.empty_layer));
    const layers = mapLayers(history, config!, 1);
    expect(layers.filter((layer) => !layer.isEmpty).map((layer) => layer.layerDigest)).toEqual(fixture.savedConfig.diff_ids);
    // The zero-byte WORKDIR owns a layer.
    expect(layers.find((layer) => layer.instruction === "WORKDIR /app")).toMatchObject({ size: 0, isEmpty: false });
  });

  test("says ambiguous (null) for the classic builder's WORKDIR beside an empty RUN, which it drops", () => {
    const fixture = captured["classic-workdir-and-empty-run"];
    // The saved config: WORKDIR (0 bytes) owns a layer, `RUN true` (0 bytes) does not; the history cannot tell.
    expect(fixture.savedConfig.history.map((entry) => entry.empty_layer)).toEqual([false, true, false, false, true, true]);
    expect(configFromHistory(oldestFirst(fixture.history), fixture.rootfsLayers)).toBeNull();
  });

  test.each(["forms-buildkit", "forms-classic", "multi-buildkit"])("agrees with the config of the %s capture or says ambiguous", (name) => {
    const form = readForm(name);
    const history = oldestFirst(form.history);
    const layerCount = form.configHistory.filter((entry) => !entry.empty_layer).length;
    const config = configFromHistory(history, Array.from({ length: layerCount }, (_, index) => `sha256:${String(index).padStart(64, "0")}`));
    if (config) expect(config.history?.map((entry) => entry.empty_layer)).toEqual(form.configHistory.map((entry) => entry.empty_layer === true));
    else expect(history.filter((entry) => entry.Size > 0).length).toBeLessThan(layerCount);
  });

  test("more entries with bytes than layers is not a mapping", () => {
    const history = oldestFirst(captured["buildkit-workdir"].history);
    expect(configFromHistory(history, captured["buildkit-workdir"].rootfsLayers.slice(0, 1))).toBeNull();
  });
});
