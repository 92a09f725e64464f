import { describe, expect, it } from "vitest";
import { createFixtureReport, HOSTILE_INSTRUCTION, HOSTILE_VARIANT } from "./__fixtures__/report";
import { renderReportCsv, toCsvCell } from "./render-csv";

// A strict RFC 4180 reader, so the test checks what a spreadsheet would see.
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") record.push(cell), (cell = "");
    else if (char === "\r" && text[i + 1] === "\n") record.push(cell), records.push(record), (record = []), (cell = ""), i++;
    else cell += char;
  }
  return records;
};

const toObjects = (text: string) => {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
};

describe("renderReportCsv", () => {
  const report = createFixtureReport();

  it("writes one row per build with exact bytes and deltas", () => {
    const csv = renderReportCsv(report);
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = toObjects(csv);
    expect(rows).toHaveLength(5);
    const multi = rows.find((r) => r.variant === "multi-stage")!;
    expect(multi).toMatchObject({
      size_bytes: "354000000",
      delta_vs_baseline_bytes: "-445000000",
      delta_vs_baseline_pct: "-55.69",
      previous_size_bytes: "340000000",
      delta_vs_previous_bytes: "14000000",
      delta_vs_previous_pct: "4.12",
      runs: "true",
      budget_passed: "false",
      size_budget_bytes: "300000000",
    });
    expect(rows.find((r) => r.variant === "venv --copies")).toMatchObject({ runs: "false", smoke_error: "exit code 127: /opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory", is_smallest_that_runs: "false" });
    expect(rows.find((r) => r.variant === "custom, quoted")).toMatchObject({ is_smallest_that_runs: "true" });
    expect(multi).toMatchObject({ layers_added_vs_baseline: "2", layers_removed_vs_baseline: "2", layer_bytes_vs_baseline: "-445000000" });
  });

  it("writes one row per layer change vs the baseline with ?rows=layer-diff", () => {
    const rows = toObjects(renderReportCsv(report, "layer-diff"));
    const multi = rows.filter((r) => r.variant === "multi-stage");
    expect(multi[0]).toMatchObject({ baseline_variant: "single-stage", change: "removed", delta_bytes: "-560000000", size_bytes: "" });
    expect(rows.some((r) => r.variant === "single-stage")).toBe(false);
  });

  it("quotes commas, quotes and newlines and neutralises formulas", () => {
    const rows = toObjects(renderReportCsv(report));
    const hostile = rows.find((r) => r.build_id === "b-custom")!;
    expect(hostile.variant).toBe(`'${HOSTILE_VARIANT}`);
    expect(hostile.error).toBe('step 3: "make" failed\nexit status 2');
    expect(hostile.size_bytes).toBe("");
    expect(hostile.budget_passed).toBe("");
    expect(rows.find((r) => r.build_id === "b-custom-ok")!.variant).toBe("custom, quoted");
  });

  it("writes one row per layer with ?rows=layers", () => {
    const rows = toObjects(renderReportCsv(report, "layers"));
    expect(rows).toHaveLength(report.layers.length);
    const hostile = rows.find((r) => r.instruction.startsWith("RUN echo"))!;
    expect(hostile).toMatchObject({ instruction: HOSTILE_INSTRUCTION, size_bytes: "101000000", is_from_base: "false", share_of_image_pct: "33.67" });
    expect(rows.filter((r) => r.is_from_base === "true")).toHaveLength(4);
  });
});

describe("toCsvCell", () => {
  it("guards every formula prefix but leaves numbers alone", () => {
    for (const prefix of ["=", "+", "-", "@", "\t", "\r"]) expect(toCsvCell(`${prefix}1`).replace(/^"/, "")).toMatch(/^'/);
    expect(toCsvCell(-12)).toBe("-12");
    expect(toCsvCell("plain")).toBe("plain");
    expect(toCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvCell(" padded")).toBe('" padded"');
    expect(toCsvCell(null)).toBe("");
    expect(toCsvCell(Number.NaN)).toBe("");
  });
});
