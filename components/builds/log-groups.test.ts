import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBuildStream, type BuildEvent } from "@/lib/docker/build-stream";
import { parseLogLine, type ParsedLogLine } from "@/components/builds/log-lines";
import {
  findLogMatches,
  groupLogLines,
  highlightSegments,
  isGroupOpenByDefault,
  parseLineHash,
  plainText,
  stepMatch,
  toLogRows,
} from "@/components/builds/log-groups";
import type { StepDto } from "@/lib/types";

// Real response bodies of POST /build from Docker Engine 20.10 (lib/docker/__fixtures__/README.md),
// turned into what the recorder stores: lines with their step, and the steps.
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../../lib/docker/__fixtures__", `${name}.jsonl`));

const recorded = (name: string, system: string[] = []) => {
  const events: BuildEvent[] = parseBuildStream(fixture(name));
  const steps = new Map<string, StepDto>();
  const lines: ParsedLogLine[] = [];
  let seq = 0;
  const push = (text: string, stream: string, step: string | null) => lines.push(parseLogLine({ seq: ++seq, stream, text, at: "2026-12-02T00:00:00.000Z", step }));
  for (const text of system) push(text, "system", null);
  for (const event of events) {
    if (event.type === "log") push(event.text, event.stream, event.vertex ?? null);
    else if (event.type === "error") push(event.message, "stderr", null);
    else if (event.type === "step") {
      const s = event.step;
      steps.set(s.digest, {
        ...s,
        startedAt: s.startedAt?.toISOString() ?? null,
        completedAt: s.completedAt?.toISOString() ?? null,
        position: steps.get(s.digest)?.position ?? steps.size,
        image: "main",
      });
    }
  }
  return { lines, steps: [...steps.values()] };
};

describe("groupLogLines", () => {
  it("puts every line of a BuildKit build in the group of the step that printed it, once", () => {
    const { lines, steps } = recorded("buildkit-success", ["[layerboard] building Dockerfile on engine 20.10.24 (buildkit)"]);
    const groups = groupLogLines(lines, steps);
    expect(groups.flatMap((g) => g.lines).length).toBe(lines.length);
    expect(new Set(groups.flatMap((g) => g.lines.map((l) => l.seq))).size).toBe(lines.length);
    expect(groups[0]).toMatchObject({ kind: "pipeline", title: "building Dockerfile on engine 20.10.24 (buildkit)" });
    const stepGroups = groups.filter((g) => g.kind === "step");
    expect(stepGroups.length).toBeGreaterThan(0);
    for (const group of stepGroups) {
      expect(group.step?.name).toBe(group.title);
      expect(group.lines.every((l) => l.step === group.stepDigest)).toBe(true);
    }
    expect(groups.some((g) => g.failed)).toBe(false);
  });

  it("marks the failing BuildKit step's group failed and opens only it (and Layerboard's lines) by default", () => {
    const { lines, steps } = recorded("buildkit-failure");
    const groups = groupLogLines(lines, steps, true);
    const failed = groups.filter((g) => g.failed);
    expect(failed).toHaveLength(1);
    expect(failed[0].step?.error).toBeTruthy();
    expect(failed[0].lines.length).toBeGreaterThan(0);
    const open = groups.filter((g) => isGroupOpenByDefault(g, true));
    expect(open.filter((g) => g.kind === "step")).toEqual(failed);
    // Without a failure every group starts open.
    expect(groups.every((g) => isGroupOpenByDefault(g, false))).toBe(true);
  });

  it("groups a classic build by its \"Step n/m\" lines and blames the last step when the build failed", () => {
    const { lines, steps } = recorded("classic-failure", ["[layerboard] building Dockerfile on engine 20.10.24 (classic)"]);
    expect(steps).toEqual([]);
    const groups = groupLogLines(lines, steps, true);
    const classic = groups.filter((g) => g.kind === "classic-step");
    expect(classic.length).toBeGreaterThan(1);
    expect(classic.every((g) => /^Step \d+\/\d+ : /.test(g.title))).toBe(true);
    expect(classic.at(-1)!.failed).toBe(true);
    expect(classic.slice(0, -1).some((g) => g.failed)).toBe(false);
  });

  it("keeps a step's lines together when parallel steps interleave, in order of first appearance", () => {
    const line = (seq: number, step: string | null, stream = "stdout") => parseLogLine({ seq, stream, text: `l${seq}`, at: "", step });
    const groups = groupLogLines([line(1, null, "system"), line(2, "a"), line(3, "b"), line(4, "a"), line(5, null, "system")], []);
    expect(groups.map((g) => [g.id, g.lines.map((l) => l.seq)])).toEqual([
      ["line-1", [1]],
      ["step-a", [2, 4]],
      ["step-b", [3]],
      ["line-5", [5]],
    ]);
    const rows = toLogRows(groups, (g) => g.id !== "step-a");
    expect(rows.map((r) => (r.kind === "header" ? `h:${r.group.id}` : r.line.seq))).toEqual(["h:line-1", 1, "h:step-a", "h:step-b", 3, "h:line-5", 5]);
  });
});

describe("log search", () => {
  it("counts matching lines case-insensitively over the plain text (not the ANSI codes)", () => {
    const { lines } = recorded("buildkit-failure");
    const all = lines.map(plainText);
    const matches = findLogMatches(lines, "About To");
    expect(matches.length).toBe(all.filter((t) => t.toLowerCase().includes("about to")).length);
    expect(matches.length).toBeGreaterThan(0);
    expect(findLogMatches(lines, "")).toEqual([]);
    expect(findLogMatches([parseLogLine({ seq: 1, stream: "stdout", text: "\u001b[31mred\u001b[0m", at: "" })], "[31m")).toEqual([]);
  });

  it("steps to the next and previous match, wrapping around", () => {
    expect(stepMatch(3, -1, 1)).toBe(0);
    expect(stepMatch(3, -1, -1)).toBe(2);
    expect(stepMatch(3, 2, 1)).toBe(0);
    expect(stepMatch(3, 0, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });

  it("marks matches inside styled segments and across segment borders, keeping each style", () => {
    const line = parseLogLine({ seq: 1, stream: "stdout", text: "abc \u001b[31mdef\u001b[0m ghi DEF", at: "" });
    const parts = highlightSegments(line.segments, "C D");
    expect(parts.map((p) => [p.text, p.match, p.style.color ?? null])).toEqual([
      ["ab", false, null],
      ["c ", true, null],
      ["d", true, "#f87171"],
      ["ef", false, "#f87171"],
      [" ghi DEF", false, null],
    ]);
    expect(highlightSegments(line.segments, "def").filter((p) => p.match).map((p) => p.text)).toEqual(["def", "DEF"]);
    expect(highlightSegments(line.segments, "zzz").every((p) => !p.match)).toBe(true);
  });
});

describe("parseLineHash", () => {
  it("reads #L123 and nothing else", () => {
    expect(parseLineHash("#L123")).toBe(123);
    expect(parseLineHash("#L")).toBeNull();
    expect(parseLineHash("#l12")).toBeNull();
    expect(parseLineHash("#L12x")).toBeNull();
    expect(parseLineHash("")).toBeNull();
  });
});
