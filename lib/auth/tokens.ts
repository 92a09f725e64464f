// Random bearer secrets (sessions, API tokens, share links): only their SHA-256 is stored.
import { createHash, randomBytes } from "node:crypto";

export const createSecret = (prefix: string) => `${prefix}_${randomBytes(32).toString("base64url")}`;

export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");
