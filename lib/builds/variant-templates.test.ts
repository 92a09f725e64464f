import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { declaresArg, findFinalBaseImage } from "@/lib/builds/dockerfile";
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import { ARTIFACT_PATH, renderDockerignore, renderVariantTemplates, type RenderedVariant } from "@/lib/builds/variant-templates";
import { variantTemplateSchema, type VariantTemplateInput } from "@/lib/validations/variant-template";

const ALL = ["SINGLE_STAGE", "MULTI_STAGE", "VENV_COPIES", "BUILDER_PATTERN"] as const;
const baseInput: VariantTemplateInput = { strategies: [...ALL], baseImage: "debian:bookworm-slim", appModule: "tinyhash.cli" };

const render = (overrides: Partial<VariantTemplateInput> = {}) => renderVariantTemplates({ ...baseInput, ...overrides });
const byStrategy = (variants: RenderedVariant[], strategy: RenderedVariant["strategy"]) => {
  const found = variants.find((v) => v.strategy === strategy);
  if (!found) throw new Error(`no ${strategy}`);
  return found;
};
const fileOf = (variant: RenderedVariant, path: string) => {
  const found = variant.files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in ${variant.strategy}`);
  return found.content;
};
// The text of each FROM stage, in order.
const stagesOf = (dockerfile: string) => dockerfile.split(/^(?=FROM )/m).slice(1);
const renderError = (overrides: Partial<VariantTemplateInput>) => {
  try {
    render(overrides);
  } catch (error) {
    return error;
  }
  throw new Error("expected renderVariantTemplates to throw");
};

describe("renderVariantTemplates", () => {
  it("renders the chosen strategies in the order given, with the example project's variant names", () => {
    const variants = render({ strategies: ["VENV_COPIES", "SINGLE_STAGE"] });
    expect(variants.map((v) => [v.strategy, v.variantName, v.dockerfile])).toEqual([
      ["VENV_COPIES", "venv --copies", "Dockerfile.copies"],
      ["SINGLE_STAGE", "single-stage", "Dockerfile.single"],
    ]);
  });

  it("starts every Dockerfile with the BASE_IMAGE build arg and builds FROM it", () => {
    for (const variant of render({ baseImage: "layerboard/bookworm-base:local" })) {
      for (const file of variant.files) {
        expect(file.content.split("\n")[0]).toBe("ARG BASE_IMAGE=layerboard/bookworm-base:local");
        expect(declaresArg(file.content, "BASE_IMAGE")).toBe(true);
        expect(findFinalBaseImage(file.content, {}, null)).toBe("layerboard/bookworm-base:local");
        expect(file.content.endsWith("\n")).toBe(true);
      }
    }
  });

  it("installs the project offline and runs python -m <appModule> as CMD", () => {
    for (const variant of render()) {
      const runnable = variant.runtimeDockerfile ? fileOf(variant, variant.runtimeDockerfile) : fileOf(variant, variant.dockerfile);
      expect(runnable).toContain('CMD ["/opt/venv/bin/python", "-m", "tinyhash.cli"]');
      const build = fileOf(variant, variant.dockerfile);
      expect(build).toContain("pip install --no-build-isolation --no-index --no-cache-dir /src");
      expect(build).toContain("--find-links /usr/share/python-wheels setuptools wheel");
      expect(build).not.toMatch(/pypi|--index-url|https?:\/\//i);
    }
  });

  it("keeps compilers out of the final stage of multi-stage and puts the Python runtime there", () => {
    const [builder, final] = stagesOf(fileOf(byStrategy(render(), "MULTI_STAGE"), "Dockerfile.multi"));
    expect(builder).toMatch(/FROM \$\{BASE_IMAGE\} AS builder/);
    expect(builder).toContain("gcc");
    expect(builder).toContain("python3-dev");
    expect(final).not.toMatch(/gcc|-dev\b|python3-venv/);
    expect(final).toMatch(/--no-install-recommends \\\n\s+python3 \\/);
    expect(final).toContain("COPY --from=builder /opt/venv /opt/venv");
  });

  it("makes the --copies venv and installs no Python in its final stage", () => {
    const dockerfile = fileOf(byStrategy(render(), "VENV_COPIES"), "Dockerfile.copies");
    const [builder, final] = stagesOf(dockerfile);
    expect(builder).toContain("python3 -m venv --copies /opt/venv");
    expect(final).not.toMatch(/apt-get|python3/);
    expect(final).toContain("COPY --from=builder /opt/venv /opt/venv");
    expect(dockerfile).toMatch(/expected NOT to\n# start/);
  });

  it("describes the builder pattern's artefact and ADDs it back in the runtime image", () => {
    const variant = byStrategy(render(), "BUILDER_PATTERN");
    expect(variant).toMatchObject({ dockerfile: "Dockerfile.build", runtimeDockerfile: "Dockerfile.runtime", artifactPath: "/out/venv.tar.gz" });
    expect(variant.files.map((f) => f.path)).toEqual(["Dockerfile.build", "Dockerfile.runtime"]);
    expect(fileOf(variant, "Dockerfile.build")).toContain(`tar -C /opt -czf ${ARTIFACT_PATH} venv`);
    const runtime = fileOf(variant, "Dockerfile.runtime");
    expect(stagesOf(runtime)).toHaveLength(1);
    expect(runtime).toContain("ADD artifact/venv.tar.gz /opt/");
    expect(runtime).not.toMatch(/gcc|-dev\b|COPY \. /);
    for (const other of render({ strategies: ["SINGLE_STAGE", "MULTI_STAGE", "VENV_COPIES"] })) {
      expect(other.runtimeDockerfile).toBeUndefined();
      expect(other.artifactPath).toBeUndefined();
    }
  });

  it("adds build packages to builder stages and runtime packages to every final image", () => {
    const variants = render({ systemPackages: ["libpq-dev"], runtimePackages: ["libpq5"] });
    const single = fileOf(byStrategy(variants, "SINGLE_STAGE"), "Dockerfile.single");
    expect(single).toMatch(/libpq-dev/);
    expect(single).toMatch(/libpq5/);
    const [multiBuilder, multiFinal] = stagesOf(fileOf(byStrategy(variants, "MULTI_STAGE"), "Dockerfile.multi"));
    expect(multiBuilder).toContain("libpq-dev");
    expect(multiFinal).not.toContain("libpq-dev");
    expect(multiFinal).toContain("python3 libpq5");
    const [, copiesFinal] = stagesOf(fileOf(byStrategy(variants, "VENV_COPIES"), "Dockerfile.copies"));
    expect(copiesFinal).toMatch(/--no-install-recommends \\\n\s+libpq5 \\/);
    expect(fileOf(byStrategy(variants, "BUILDER_PATTERN"), "Dockerfile.runtime")).toContain("python3 libpq5");
  });

  it("cleans the apt cache and lists in the same RUN as every install", () => {
    for (const variant of render({ systemPackages: ["libffi-dev"], runtimePackages: ["libffi8"] })) {
      for (const file of variant.files) {
        const runs = file.content.split(/\n(?=[A-Z]+ )/).filter((instruction) => instruction.includes("apt-get install"));
        expect(runs.length).toBeGreaterThan(0);
        for (const run of runs) expect(run).toMatch(/&& apt-get clean \\\n\s+&& rm -rf \/var\/lib\/apt\/lists\/\*/);
      }
    }
  });

  it.each([
    ["a module with a space", { appModule: "app main" }, "appModule"],
    ["a module with a shell metacharacter", { appModule: "app;rm -rf /" }, "appModule"],
    ["a module with a quote", { appModule: 'app"]' }, "appModule"],
    ["a module part starting with a digit", { appModule: "pkg.2cli" }, "appModule"],
    ["an empty dotted part", { appModule: "pkg..cli" }, "appModule"],
    ["a base image with a newline", { baseImage: "debian\nRUN curl evil" }, "baseImage"],
    ["a base image with upper case in its name", { baseImage: "Debian:bookworm" }, "baseImage"],
    ["a package with a space", { systemPackages: ["gcc make"] }, "systemPackages"],
    ["a package that is an option", { systemPackages: ["--allow-unauthenticated"] }, "systemPackages"],
    ["a runtime package with a backslash", { runtimePackages: ["libpq5\\"] }, "runtimePackages"],
    ["no strategy", { strategies: [] }, "strategies"],
    ["a strategy twice", { strategies: ["MULTI_STAGE", "MULTI_STAGE"] }, "strategies"],
    ["the custom strategy", { strategies: ["CUSTOM"] }, "strategies"],
  ] as const)("refuses %s with a VALIDATION error naming the field", (_name, overrides, field) => {
    const error = renderError(overrides as Partial<VariantTemplateInput>);
    expect(isAppError(error) && error.code).toBe("VALIDATION");
    expect((error as Error).message.startsWith(field)).toBe(true);
  });

  it("accepts registry hosts with ports, digests and dotted modules", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    for (const baseImage of ["registry.example.com:5000/team/python-base:3.11-bookworm", `debian@${digest}`, "ubuntu:24.04"]) {
      expect(variantTemplateSchema.safeParse({ ...baseInput, baseImage }).success).toBe(true);
    }
    expect(render({ appModule: "  my_app.server.__main__  " })[0]?.files[0]?.content).toContain('"-m", "my_app.server.__main__"]');
  });
});

describe("renderDockerignore", () => {
  it("keeps VCS data and build leftovers out of the context but not the sources", () => {
    const lines = renderDockerignore().split("\n");
    expect(lines).toEqual(expect.arrayContaining([".git", "**/__pycache__", "**/*.so", "build"]));
    expect(lines).not.toContain("*.py");
  });
});

describe("STRATEGY_META", () => {
  it("gives every strategy a label and a description", () => {
    expect(Object.fromEntries(Object.entries(STRATEGY_META).map(([k, v]) => [k, v.label]))).toEqual({
      SINGLE_STAGE: "Single-stage",
      MULTI_STAGE: "Multi-stage",
      VENV_COPIES: "Multi-stage venv --copies",
      BUILDER_PATTERN: "Builder pattern",
      CUSTOM: "Custom",
    });
    for (const { description } of Object.values(STRATEGY_META)) expect(description.length).toBeGreaterThan(10);
  });
});
