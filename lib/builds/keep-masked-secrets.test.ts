import { describe, expect, it } from "vitest";
import { keepMaskedSecrets } from "./keep-masked-secrets";

describe("keepMaskedSecrets", () => {
  const stored = { API_TOKEN: "s3cret-value", SEED: "licence-123", MODE: "a" };

  it("keeps a secret's stored value when it comes back as ***, by name pattern or marked secret", () => {
    expect(keepMaskedSecrets({ API_TOKEN: "***", SEED: "***", MODE: "b" }, stored, ["SEED"])).toEqual({ API_TOKEN: "s3cret-value", SEED: "licence-123", MODE: "b" });
  });

  it("takes a new value, drops a removed arg, and keeps a literal *** of a plain or new arg", () => {
    expect(keepMaskedSecrets({ API_TOKEN: "new-value", MODE: "***", NEW_TOKEN: "***" }, stored, [])).toEqual({ API_TOKEN: "new-value", MODE: "***", NEW_TOKEN: "***" });
  });
});
