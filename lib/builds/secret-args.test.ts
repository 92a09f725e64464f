import { describe, expect, it } from "vitest";
import { createSecretMasker, isSecretArgName, maskBuildArgs, maskerForSettings, maskSettings, secretValuesOf, SECRET_MASK } from "./secret-args";

describe("isSecretArgName", () => {
  it.each(["GITHUB_TOKEN", "npm_token", "DB_PASSWORD", "FTP_PASSWD", "APP_SECRET", "AWS_SECRET_ACCESS_KEY", "SSH_PRIVATE_KEY", "API_KEY", "APIKEY", "GCP_CREDENTIALS", "TOKEN", "PASSWORD", "REGISTRY_AUTH"])(
    "takes %s for a secret",
    (name) => expect(isSecretArgName(name)).toBe(true),
  );

  it.each(["BASE_IMAGE", "APP_ENV", "KEYBOARD_LAYOUT", "TOKENIZER", "PASSWORD_POLICY_URL", "LOAD_ID", "NODE_VERSION"])("leaves %s alone", (name) =>
    expect(isSecretArgName(name)).toBe(false),
  );

  it("takes a name the variant marks secret whatever it is", () => {
    expect(isSecretArgName("LICENSE", ["LICENSE"])).toBe(true);
    expect(isSecretArgName("LICENSE")).toBe(false);
  });
});

describe("maskBuildArgs", () => {
  it("masks the secret values only, in a new object", () => {
    const args = { BASE_IMAGE: "debian:bookworm-slim", NPM_TOKEN: "npm_abcdef", LICENSE: "XYZ-1234" };
    expect(maskBuildArgs(args, ["LICENSE"])).toEqual({ BASE_IMAGE: "debian:bookworm-slim", NPM_TOKEN: SECRET_MASK, LICENSE: SECRET_MASK });
    expect(args.NPM_TOKEN).toBe("npm_abcdef");
  });
});

describe("createSecretMasker", () => {
  it("replaces every occurrence of each secret value, the longest first", () => {
    const mask = createSecretMasker(secretValuesOf({ API_TOKEN: "s3cr3t", DB_PASSWORD: "s3cr3t-and-more", APP_ENV: "production" }));
    // a real BuildKit history line (docker history --no-trunc of a RUN with two args)
    expect(mask("RUN |2 API_TOKEN=s3cr3t DB_PASSWORD=s3cr3t-and-more /bin/sh -c echo $API_TOKEN")).toBe(
      "RUN |2 API_TOKEN=*** DB_PASSWORD=*** /bin/sh -c echo $API_TOKEN",
    );
    expect(mask("token is s3cr3t, twice s3cr3t; env production")).toBe("token is ***, twice ***; env production");
  });

  it("does not search for values too short to be secrets", () => {
    const mask = createSecretMasker(secretValuesOf({ API_KEY: "ab" }));
    expect(mask("abc ab")).toBe("abc ab");
  });

  it("reads a build's frozen settings", () => {
    const settings = { buildArgs: { LICENSE: "license-value", APP_ENV: "prod" }, secretArgs: ["LICENSE"] };
    expect(maskerForSettings(settings)("key license-value")).toBe("key ***");
    expect(maskSettings(settings)).toEqual({ buildArgs: { LICENSE: SECRET_MASK, APP_ENV: "prod" }, secretArgs: ["LICENSE"] });
    expect(maskSettings({ dockerfile: "Dockerfile" })).toEqual({ dockerfile: "Dockerfile" });
  });
});
