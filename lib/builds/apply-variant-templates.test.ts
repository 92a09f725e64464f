import { describe, expect, it } from "vitest";
import { renderDockerignore, renderVariantTemplates } from "@/lib/builds/variant-templates";
import {
  DOCKERIGNORE,
  collectTemplateFiles,
  describeConflicts,
  planTemplateFiles,
  planTemplateVariants,
  type ExistingFile,
} from "./apply-variant-templates";

const BASE = "layerboard/bookworm-base:local";
const render = () =>
  renderVariantTemplates({ strategies: ["SINGLE_STAGE", "MULTI_STAGE", "VENV_COPIES", "BUILDER_PATTERN"], baseImage: BASE, appModule: "app.cli" });

describe("collectTemplateFiles", () => {
  it("lists each file once, including the builder pattern's runtime Dockerfile", () => {
    expect(collectTemplateFiles(render()).map((file) => file.path)).toEqual([
      "Dockerfile.single",
      "Dockerfile.multi",
      "Dockerfile.copies",
      "Dockerfile.build",
      "Dockerfile.runtime",
    ]);
  });
});

describe("planTemplateFiles", () => {
  const files = collectTemplateFiles(render());
  const single = files.find((file) => file.path === "Dockerfile.single")!;

  it("creates missing files and a missing .dockerignore", () => {
    const plan = planTemplateFiles(files, renderDockerignore(), new Map());
    expect(plan.map((file) => [file.path, file.action])).toEqual([
      ["Dockerfile.single", "create"],
      ["Dockerfile.multi", "create"],
      ["Dockerfile.copies", "create"],
      ["Dockerfile.build", "create"],
      ["Dockerfile.runtime", "create"],
      [DOCKERIGNORE, "create"],
    ]);
  });

  it("leaves identical files alone, keeps the user's .dockerignore, and flags different or odd files as conflicts", () => {
    const existing = new Map<string, ExistingFile>([
      ["Dockerfile.single", { kind: "file", content: single.content }],
      ["Dockerfile.multi", { kind: "file", content: "FROM scratch\n" }],
      ["Dockerfile.copies", { kind: "other", what: "a symlink" }],
      [DOCKERIGNORE, { kind: "file", content: "node_modules\n" }],
    ]);
    const plan = planTemplateFiles(files, renderDockerignore(), existing);
    const byPath = Object.fromEntries(plan.map((file) => [file.path, file]));
    expect(byPath["Dockerfile.single"]!.action).toBe("unchanged");
    expect(byPath["Dockerfile.multi"]).toMatchObject({ action: "conflict", reason: "Dockerfile.multi already exists with different content" });
    expect(byPath["Dockerfile.copies"]).toMatchObject({ action: "conflict", reason: "Dockerfile.copies already exists and is a symlink" });
    expect(byPath["Dockerfile.build"]!.action).toBe("create");
    expect(byPath[DOCKERIGNORE]!.action).toBe("kept");
    const message = describeConflicts(plan.filter((file) => file.action === "conflict"));
    expect(message).toContain("Dockerfile.multi already exists with different content");
    expect(message).toContain("Nothing was written");
  });
});

describe("planTemplateVariants", () => {
  it("creates variants named like the example project, with the chosen base image and the builder-pattern fields", () => {
    const plan = planTemplateVariants(render(), [], BASE);
    expect(plan.skip).toEqual([]);
    expect(plan.create.map((variant) => [variant.name, variant.strategy, variant.dockerfile])).toEqual([
      ["single-stage", "SINGLE_STAGE", "Dockerfile.single"],
      ["multi-stage", "MULTI_STAGE", "Dockerfile.multi"],
      ["venv --copies", "VENV_COPIES", "Dockerfile.copies"],
      ["builder pattern", "BUILDER_PATTERN", "Dockerfile.build"],
    ]);
    const builder = plan.create[3]!;
    expect(builder).toMatchObject({ runtimeDockerfile: "Dockerfile.runtime", artifactPath: "/out/venv.tar.gz", buildArgs: { BASE_IMAGE: BASE } });
    expect(plan.create[0]).toMatchObject({ runtimeDockerfile: null, artifactPath: null, builder: "BUILDKIT", noCache: false });
    expect(plan.create[0]!.smokeCommand ?? null).toBeNull(); // the image's own CMD is the smoke run
  });

  it("skips names the project already has", () => {
    const plan = planTemplateVariants(render(), ["multi-stage", "something else"], BASE);
    expect(plan.skip).toEqual(["multi-stage"]);
    expect(plan.create.map((variant) => variant.name)).toEqual(["single-stage", "venv --copies", "builder pattern"]);
  });
});
