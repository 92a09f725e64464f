import { describe, expect, it } from "vitest";
import { detectPushSource, findPushSignature, hmacHex, sha256Hex, verifyPushSignature } from "@/lib/push/push-signature";

// GitHub's documented test vector (docs.github.com, "Validating webhook deliveries").
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_BODY = Buffer.from("Hello, World!");
const GITHUB_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

const secretOf = (secret: string) => ({ secret: () => secret, secretHash: sha256Hex(secret) });

describe("push signatures", () => {
  it("verifies GitHub's documented test vector and refuses a changed body or secret", () => {
    expect(verifyPushSignature("github", GITHUB_SIGNATURE, GITHUB_BODY, secretOf(GITHUB_SECRET))).toBe(true);
    expect(verifyPushSignature("github", GITHUB_SIGNATURE, Buffer.from("Hello, World?"), secretOf(GITHUB_SECRET))).toBe(false);
    expect(verifyPushSignature("github", GITHUB_SIGNATURE, GITHUB_BODY, secretOf("another secret"))).toBe(false);
  });

  it("refuses a missing, truncated, unprefixed or non-hex signature", () => {
    const secret = secretOf(GITHUB_SECRET);
    for (const bad of [null, "", "sha256=", GITHUB_SIGNATURE.slice(0, -2), GITHUB_SIGNATURE.slice(7), "sha1=" + GITHUB_SIGNATURE.slice(7), "sha256=" + "z".repeat(64)])
      expect(verifyPushSignature("github", bad, GITHUB_BODY, secret), String(bad)).toBe(false);
  });

  it("checks Gitea's bare hex HMAC, the generic sha256= header and GitLab's token by its hash", () => {
    const secret = secretOf("s3cret-s3cret-s3cret");
    const body = Buffer.from('{"ref":"refs/heads/main"}');
    expect(verifyPushSignature("gitea", hmacHex("s3cret-s3cret-s3cret", body), body, secret)).toBe(true);
    expect(verifyPushSignature("gitea", `sha256=${hmacHex("s3cret-s3cret-s3cret", body)}`, body, secret)).toBe(false);
    expect(verifyPushSignature("generic", `sha256=${hmacHex("s3cret-s3cret-s3cret", body)}`, body, secret)).toBe(true);
    expect(verifyPushSignature("gitlab", "s3cret-s3cret-s3cret", body, secret)).toBe(true);
    expect(verifyPushSignature("gitlab", "s3cret-s3cret-s3creT", body, secret)).toBe(false);
    // GitLab never opens the sealed secret: only its hash is compared.
    expect(verifyPushSignature("gitlab", "s3cret-s3cret-s3cret", body, { secret: () => { throw new Error("opened"); }, secretHash: sha256Hex("s3cret-s3cret-s3cret") })).toBe(true);
  });

  it("tells the hosts apart by their headers (Gitea sends X-GitHub-Event too)", () => {
    expect(detectPushSource(new Headers({ "x-github-event": "push" }))).toBe("github");
    expect(detectPushSource(new Headers({ "x-github-event": "push", "x-gitea-event": "push" }))).toBe("gitea");
    expect(detectPushSource(new Headers({ "x-gitlab-event": "Push Hook" }))).toBe("gitlab");
    expect(detectPushSource(new Headers({ "content-type": "application/json" }))).toBe("generic");
    expect(findPushSignature("gitlab", new Headers({ "x-gitlab-token": "t" }))).toBe("t");
    expect(findPushSignature("generic", new Headers({}))).toBeNull();
  });
});
