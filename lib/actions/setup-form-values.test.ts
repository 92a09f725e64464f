import { describe, expect, it } from "vitest";
import { parseBuildArgLines, splitLines, toVariantFormValues } from "./setup-form";

describe("toVariantFormValues", () => {
  it("turns a stored variant into the form's text, which the form's parsers read back the same", () => {
    const values = toVariantFormValues({
      name: "multi",
      strategy: "BUILDER_PATTERN",
      dockerfile: "Dockerfile.build",
      target: null,
      buildArgs: { BASE_IMAGE: "debian:bookworm-slim", API_TOKEN: "***" },
      secretArgs: ["SEED", "LICENSE"],
      smokeCommand: ["python3", "-m", "app"],
      sizeBudgetBytes: 250_000_000,
      regressionThresholdPct: 5,
      builder: "CLASSIC",
      smokePrivileges: "STRICT",
      runtimeDockerfile: "Dockerfile.runtime",
      artifactPath: "/out/venv.tar.gz",
      budgetBasis: "COMPRESSED",
      registryBaseImage: null,
    });
    expect(values).toMatchObject({ budgetBasis: "COMPRESSED", registryBaseImage: "", target: "", sizeBudgetMb: "250", regressionThresholdPct: "5", secretArgs: "SEED LICENSE", artifactPath: "/out/venv.tar.gz" });
    expect(parseBuildArgLines(values.buildArgs)).toEqual({ args: { BASE_IMAGE: "debian:bookworm-slim", API_TOKEN: "***" }, error: null });
    expect(splitLines(values.smokeCommand)).toEqual(["python3", "-m", "app"]);
  });
});
