import { describe, expect, it } from "vitest";
import { BUILD_SECRET_MAX_BYTES, BUILD_SECRET_NAME_PATTERN, buildSecretSchema } from "@/lib/validations/build-secrets";

const messagesFor = (body: unknown) => {
  const result = buildSecretSchema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("buildSecretSchema", () => {
  it("accepts the names a --mount=type=secret,id= can use", () => {
    for (const name of ["token", "NPM_TOKEN", "pip.conf", "a-b_c.d", "x".repeat(64)]) {
      expect(messagesFor({ name, value: "v" }), name).toEqual([]);
      expect(BUILD_SECRET_NAME_PATTERN.test(name)).toBe(true);
    }
  });

  it("refuses a bad name with one clear message on the name field", () => {
    expect(messagesFor({ name: "", value: "v" })).toEqual(["name: a secret name is required"]);
    expect(messagesFor({ name: "x".repeat(65), value: "v" })).toEqual(["name: a secret name is at most 64 characters"]);
    for (const name of ["bad name", "a/b", "ü", "id=x", "$(id)"]) {
      expect(messagesFor({ name, value: "v" }), name).toEqual([
        "name: a secret name may only hold letters, digits, dots, dashes and underscores (it is the id in --mount=type=secret,id=NAME)",
      ]);
      expect(BUILD_SECRET_NAME_PATTERN.test(name)).toBe(false);
    }
    expect(messagesFor({ value: "v" })).toEqual(["name: a secret name is required"]);
  });

  it("bounds the value in UTF-8 bytes and refuses an empty one", () => {
    expect(messagesFor({ name: "t", value: "x".repeat(BUILD_SECRET_MAX_BYTES) })).toEqual([]);
    expect(messagesFor({ name: "t", value: "x".repeat(BUILD_SECRET_MAX_BYTES + 1) })).toEqual(["value: a secret value is at most 64 KiB"]);
    // 2 bytes a character: fits in characters, not in bytes.
    expect(messagesFor({ name: "t", value: "é".repeat(BUILD_SECRET_MAX_BYTES / 2 + 1) })).toEqual(["value: a secret value is at most 64 KiB"]);
    expect(messagesFor({ name: "t", value: "" })).toEqual(["value: a secret value is required (an empty secret is not mounted at all)"]);
  });

  it("refuses unknown fields", () => {
    expect(messagesFor({ name: "t", value: "v", scope: "project" })).toHaveLength(1);
  });
});
