import { describe, expect, it } from "vitest";
import { createFixtureReport } from "./__fixtures__/report";
import { renderReportMarkdown } from "./render-markdown";
import { escapeMarkdown, toCodeSpan } from "./escape-markdown";

// Cells of a GFM table row: split on pipes that are not escaped.
const cells = (line: string) => line.replace(/^\||\|$/g, "").split(/(?<!\\)\|/);

describe("renderReportMarkdown", () => {
  const markdown = renderReportMarkdown(createFixtureReport(), { baseUrl: "https://layerboard.example.com" });
  const lines = markdown.split("\n");

  it("starts with a heading and a table of sizes and deltas vs baseline and vs previous", () => {
    expect(lines[0]).toBe("## Layerboard report: Python C-extension example · comparison of 5 variants");
    const multi = lines.find((l) => l.startsWith("| **multi-stage**"))!;
    expect(cells(multi).map((c) => c.trim())).toEqual([
      "**multi-stage**",
      "succeeded",
      "354.0 MB",
      "118.0 MB (est.)",
      "−445.0 MB (−55.7 %)",
      "+14.0 MB (+4.1 %)",
      "✅ runs",
      "3",
      "59.0 s",
      "4/10",
      "❌ over budget, ❌ regression",
    ]);
    expect(lines.find((l) => l.startsWith("| **single-stage**"))).toContain("(baseline)");
  });

  it("says which image does not run and why, and which build failed", () => {
    const copies = lines.find((l) => l.startsWith("| **venv --copies**"))!;
    expect(copies).toContain("❌ does not run");
    expect(copies).not.toContain("⭐");
    expect(lines.find((l) => l.startsWith("| **custom, quoted**"))).toContain("⭐ smallest that runs");
    expect(markdown).toContain("**Smallest that runs:** ⭐ custom, quoted (300.0 MB) (smaller but not running: venv --copies 241.0 MB)");
    expect(markdown).toContain("- venv --copies: `exit code 127: /opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory`");
    expect(markdown).toContain("**Build failures:** ❌ 1");
  });

  it("states the budget verdict with each problem", () => {
    expect(markdown).toContain("**Budget:** ❌ 2 problems");
    expect(markdown).toContain("- multi-stage: 354.0 MB is over the budget of 300.0 MB (by 54.0 MB)");
  });

  it("keeps every table row the same width whatever the user text holds", () => {
    const tableRows = lines.filter((l) => l.startsWith("| "));
    const header = lines.find((l) => l.startsWith("| Variant | Status"))!;
    const table = tableRows.filter((l) => cells(l).length >= 5 && lines.indexOf(l) < lines.indexOf("<details>"));
    for (const row of table) expect(cells(row)).toHaveLength(cells(header).length);
    // one row in the largest-layers table (5 cells), one in the layers-vs-baseline table (7 cells)
    const layerRows = lines.filter((l) => l.startsWith("| custom, quoted |"));
    expect(layerRows.map((row) => cells(row).length)).toEqual([5, 7]);
  });

  it("renders user text as text: no HTML, mentions or formulas become markup", () => {
    expect(markdown).not.toContain("<b>");
    expect(markdown).toContain("\\<b\\>");
    expect(markdown).toContain("\\@team");
    expect(markdown).not.toMatch(/[^\\]@team/);
  });

  it("lists the largest own layers and the advice, and links back", () => {
    expect(markdown).toContain("<summary>Largest own layers");
    expect(markdown).toContain("| single-stage | 1 | `RUN apt-get update && apt-get install -y build-essential python3-dev` | 560.0 MB | 70.1 % |");
    expect(markdown).toContain("### Advice");
    expect(markdown).toContain("🟠 **APT package lists left in the layer** · venv --copies · layer 1 · 20.0 MB at stake");
    expect(markdown).toContain("`&& rm -rf /var/lib/apt/lists/*`");
    expect(markdown).toContain("[Open in Layerboard](https://layerboard.example.com/compare?comparison=cmp1)");
  });

  it("omits the link when no base URL is known", () => {
    expect(renderReportMarkdown(createFixtureReport())).not.toContain("Open in Layerboard");
  });
});

describe("markdown escaping", () => {
  it("escapes markup characters and flattens newlines", () => {
    expect(escapeMarkdown("a|b *c* [d](e)\nf")).toBe("a\\|b \\*c\\* \\[d\\](e) f");
  });
  it("makes a code span that survives backticks and table pipes", () => {
    expect(toCodeSpan("echo `x` | y")).toBe("``echo `x` \\| y``");
    expect(toCodeSpan("`edge`", { inTable: false })).toBe("`` `edge` ``");
  });
});
