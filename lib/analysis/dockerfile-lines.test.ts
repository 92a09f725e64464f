import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { linesOfLayers, stageInstructions } from "@/lib/analysis/dockerfile-lines";
import { guessBaseEntryCount } from "@/lib/docker/analyse-image";
import { cleanInstruction } from "@/lib/docker/clean-instruction";

// History captured on engine 20.10 with both builders (lib/docker/__fixtures__), mapped as analyseImage maps it.
const captured = (name: string) => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "docker", "__fixtures__", `history-${name}.json`), "utf8")) as {
    dockerfile: string;
    history: Array<{ CreatedBy: string; Comment: string }>;
  };
  const history = [...fixture.history].reverse().map((entry) => ({ ...entry, Tags: null, Id: "", Size: 0 }));
  const baseCount = guessBaseEntryCount(history);
  const layers = history.map((entry, position) => ({ position, instruction: cleanInstruction(entry.CreatedBy, entry.Comment), isFromBase: position < baseCount }));
  return [...linesOfLayers(layers, fixture.dockerfile).entries()];
};

describe("linesOfLayers", () => {
  test("BuildKit and classic history of the same Dockerfiles map to the same lines (flags, expanded COPY sources, ARG, exec forms)", () => {
    expect(captured("pyapp-single-buildkit")).toEqual([[1, 7], [2, 10], [3, 11], [4, 14], [5, 18]]);
    expect(captured("pyapp-multi-buildkit")).toEqual([[1, 22], [2, 25], [3, 26]]);
    expect(captured("forms-classic")).toEqual([[1, 3], [2, 4], [3, 5], [4, 7], [5, 8], [6, 9], [7, 10], [8, 11], [9, 12], [10, 13], [11, 14], [12, 15], [13, 16]]);
    // BuildKit writes no history for ONBUILD: HEALTHCHECK still lands on line 15.
    expect(captured("forms-buildkit")).toEqual([[1, 3], [2, 4], [3, 5], [4, 7], [5, 8], [6, 9], [7, 10], [8, 11], [9, 12], [10, 13], [11, 15], [12, 16]]);
    expect(captured("multi-classic")).toEqual([[1, 7], [2, 8], [3, 9], [4, 10], [5, 11], [6, 12], [7, 13], [8, 14], [9, 15], [10, 16], [11, 17], [12, 18], [13, 19]]);
    expect(captured("multi-buildkit").map(([, line]) => line)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  test("a stage built FROM another stage inherits its instructions; --target picks the stage", () => {
    const dockerfile = "FROM debian AS deps\nRUN apt-get install -y gcc\n\nFROM deps AS app\nCOPY . /app\nFROM debian AS other\nRUN true\n";
    expect(stageInstructions(dockerfile, "app").map((i) => [i.line, i.text])).toEqual([
      [2, "RUN apt-get install -y gcc"],
      [5, "COPY . /app"],
    ]);
    expect(stageInstructions(dockerfile).map((i) => i.line)).toEqual([7]);
    const layers = [
      { position: 0, instruction: "Imported from -", isFromBase: true },
      { position: 1, instruction: "RUN apt-get install -y gcc", isFromBase: false },
      { position: 2, instruction: "COPY . /app", isFromBase: false },
    ];
    expect([...linesOfLayers(layers, dockerfile, "app")]).toEqual([[1, 2], [2, 5]]);
    expect([...linesOfLayers(layers, null)]).toEqual([]);
  });
});
