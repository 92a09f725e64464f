// Pure: checks an incoming push delivery's signature in constant time. GitHub (X-Hub-Signature-256:
// sha256=<hex>), Gitea (X-Gitea-Signature: <hex>) and the generic body (X-Layerboard-Signature:
// sha256=<hex>) sign the raw body with HMAC-SHA256; GitLab sends the secret itself (X-Gitlab-Token),
// compared by its SHA-256 against the stored hash. Digests of equal length go to timingSafeEqual.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export type PushSource = "github" | "gitlab" | "gitea" | "generic";

export const GENERIC_SIGNATURE_HEADER = "x-layerboard-signature";

/** Which host sent it, from its headers. Gitea also sends X-GitHub-Event (compatibility): checked first. */
export const detectPushSource = (headers: Headers): PushSource => {
  if (headers.has("x-gitea-event") || headers.has("x-gitea-signature")) return "gitea";
  if (headers.has("x-gitlab-event") || headers.has("x-gitlab-token")) return "gitlab";
  if (headers.has("x-github-event")) return "github";
  return "generic";
};

export const hmacHex = (secret: string, body: Buffer | string): string => createHmac("sha256", secret).update(body).digest("hex");

export const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex");

const HEX_DIGEST = /^[0-9a-f]{64}$/i;

const equalDigests = (expectedHex: string, givenHex: string): boolean => {
  if (!HEX_DIGEST.test(givenHex)) return false;
  const expected = Buffer.from(expectedHex, "hex");
  const given = Buffer.from(givenHex, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
};

/** The signature (or token) a delivery carries, null when it carries none. */
export const findPushSignature = (source: PushSource, headers: Headers): string | null => {
  switch (source) {
    case "github":
      return headers.get("x-hub-signature-256");
    case "gitea":
      return headers.get("x-gitea-signature");
    case "gitlab":
      return headers.get("x-gitlab-token");
    case "generic":
      return headers.get(GENERIC_SIGNATURE_HEADER);
  }
};

export type PushSecret = { secret: () => string; secretHash: string };

/** True when the delivery is signed with the hook's secret. `secret` is opened only for an HMAC. */
export const verifyPushSignature = (source: PushSource, signature: string | null, body: Buffer, secret: PushSecret): boolean => {
  if (!signature) return false;
  if (source === "gitlab") return equalDigests(secret.secretHash, sha256Hex(signature));
  const hex = source === "gitea" ? signature.trim() : /^sha256=(.*)$/.exec(signature.trim())?.[1] ?? "";
  return equalDigests(hmacHex(secret.secret(), body), hex);
};
