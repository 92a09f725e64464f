import { describe, expect, it } from "vitest";
import { assembleReport } from "@/lib/reports/build-report";
import { toReportContentDifference, type ReportContentInput } from "@/lib/reports/report-content";
import { renderReportMarkdown } from "@/lib/reports/render-markdown";
import { renderReportJson } from "@/lib/reports/render-json";
import { diffContents } from "@/lib/content/diff";
import { makeFs, ownersByPrefix } from "@/lib/content/__fixtures__/make-fs";
import type { ContentFinding, PackageRecord, WasteReport } from "@/lib/content/types";
import { fixtureInputs } from "./__fixtures__/report";

const waste: WasteReport = { ownReclaimableBytes: 1000, baseReclaimableBytes: 50, items: [], duplicateBytes: 7, duplicates: [] };
const deb = (name: string, bytes: number): PackageRecord => ({ ecosystem: "deb", name, version: "1", bytes, files: 1, layer: 1 });

const singleFs = makeFs([["/usr/bin/gcc-12", 1200, 1], ["/usr/include/stdio.h", 300, 1], ["/app/main.py", 100, 2]]);
const copiesFs = makeFs([["/app/main.py", 100, 2], ["/opt/venv/bin/python3", 6000, 1]]);
const singlePackages = [deb("gcc-12", 1200), deb("libc6-dev", 300)];

const analysed = (files: number, fileBytes: number, packages: PackageRecord[], findings: ContentFinding[]): ReportContentInput => ({
  status: "SUCCEEDED",
  error: null,
  result: { files, fileBytes, packages, findings, waste },
});

const inputs = fixtureInputs.map((input) => {
  if (input.build.id === "b-single") return { ...input, content: analysed(3, 1600, singlePackages, []) };
  if (input.build.id === "b-copies")
    return {
      ...input,
      content: analysed(2, 6100, [], [
        {
          kind: "missing-library" as const,
          severity: "high" as const,
          title: "/opt/venv/bin/python3 needs libexpat.so.1, which the image lacks",
          evidence: { path: "/opt/venv/bin/python3", missing: "libexpat.so.1", layer: 1, providedBy: "deb:libexpat1" },
        },
      ]),
    };
  if (input.build.id === "b-multi") return { ...input, content: { status: "FAILED" as const, error: "image no longer on the engine", result: null } };
  return input;
});

const diff = diffContents(
  { fs: singleFs, packages: singlePackages, ownerOf: ownersByPrefix({ "/usr/bin/gcc-12": "deb:gcc-12", "/usr/include": "deb:libc6-dev" }) },
  { fs: copiesFs, packages: [], ownerOf: () => undefined },
);

const report = assembleReport({
  kind: "comparison",
  id: "cmp1",
  generatedAt: "2026-11-20T10:05:00.000Z",
  project: { id: "proj1", slug: "pyapp-example", name: "Python C-extension example" },
  contextRevision: null,
  builds: inputs,
  baseline: { buildId: "b-single", variant: "single-stage", size: 799_000_000 },
  contentDifferences: [toReportContentDifference("b-copies", "venv --copies", "b-single", diff)],
});

describe("the report's image contents", () => {
  it("has each build's analysis state and totals, schema version 4 (compressed sizes, issue 17)", () => {
    expect(report.schemaVersion).toBe(4);
    expect(report.content.builds.map((b) => [b.variant, b.status, b.files, b.fileBytes, b.ownReclaimableBytes])).toEqual([
      ["single-stage", "SUCCEEDED", 3, 1600, 1000],
      ["multi-stage", "FAILED", null, null, null],
      ["venv --copies", "SUCCEEDED", 2, 6100, 1000],
      [fixtureInputs[3].build.variantName, "NONE", null, null, null],
      ["custom, quoted", "NONE", null, null, null],
    ]);
    expect(report.content.builds[1].error).toBe("image no longer on the engine");
    expect(report.content.builds[0].topPackages.map((p) => p.name)).toEqual(["gcc-12", "libc6-dev"]);
  });

  it("lists the static run findings with their evidence", () => {
    expect(report.content.findings).toEqual([
      {
        buildId: "b-copies",
        variant: "venv --copies",
        kind: "missing-library",
        severity: "high",
        title: "/opt/venv/bin/python3 needs libexpat.so.1, which the image lacks",
        path: "/opt/venv/bin/python3",
        missing: "libexpat.so.1",
        layer: 1,
        providedBy: "deb:libexpat1",
      },
    ]);
  });

  it("has the top content differences against the baseline with exact bytes", () => {
    const [difference] = report.content.differences;
    expect(difference).toMatchObject({ buildId: "b-copies", baselineBuildId: "b-single", deltaBytes: 6000 - 1500, addedFiles: 1, addedBytes: 6000, removedFiles: 2, removedBytes: 1500 });
    expect(difference.topDirectories[0]).toEqual({ directory: "/opt/venv", deltaBytes: 6000, addedFiles: 1, removedFiles: 0 });
    expect(difference.packages.map((p) => [p.name, p.change, p.deltaBytes])).toEqual([
      ["gcc-12", "removed", -1200],
      ["libc6-dev", "removed", -300],
    ]);
    expect(JSON.parse(renderReportJson(report)).content).toEqual(report.content);
  });

  it("renders an 'Image contents' section in Markdown: findings, then differences vs the baseline", () => {
    const markdown = renderReportMarkdown(report);
    const section = markdown.slice(markdown.indexOf("### Image contents"));
    expect(section).toContain("- 🔴 /opt/venv/bin/python3 needs libexpat.so.1, which the image lacks · venv --copies · layer 1 · provided by `deb:libexpat1` in the build stage");
    expect(section).toContain("**Content vs baseline (single-stage):**");
    expect(section).toMatch(/\| venv --copies \| \+4\.5 kB \| 1 \(6\.0 kB\) \| 2 \(1\.5 kB\) \| `\/opt\/venv` \+6\.0 kB, .* \| −`gcc-12` 1\.2 kB, −`libc6-dev` 300 B \|/);
  });

  it("leaves the section out when nothing was analysed", () => {
    const plain = assembleReport({
      kind: "comparison",
      id: "cmp1",
      generatedAt: "2026-11-20T10:05:00.000Z",
      project: { id: "proj1", slug: "p", name: "P" },
      contextRevision: null,
      builds: fixtureInputs,
      baseline: null,
    });
    expect(plain.content.findings).toEqual([]);
    expect(renderReportMarkdown(plain)).not.toContain("### Image contents");
  });
});
