// Encrypts webhook URLs and signing secrets at rest (AES-256-GCM). They must be usable to send
// (an HMAC needs the secret itself, a Slack URL is the token), so they cannot be hashed; the
// API and UI never return them. Key: LAYERBOARD_SECRET_KEY, else a generated one kept in
// LAYERBOARD_DATA_DIR/secret-key (fine for one machine; set the variable when the web process
// and workers run on different machines or containers).
import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getDataDir, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

const VERSION = "v1";
const cache = globalThis as unknown as { layerboardSecretKey?: Buffer };

const readOrCreateKeyFile = (): string => {
  const file = path.join(getDataDir(), "secret-key");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const key = randomBytes(32).toString("base64url");
    // wx: two processes starting at once must not write two keys.
    try {
      fs.writeFileSync(file, key, { mode: 0o600, flag: "wx" });
      return key;
    } catch {
      return fs.readFileSync(file, "utf8").trim();
    }
  }
};

const getKey = (): Buffer => (cache.layerboardSecretKey ??= createHash("sha256").update(getEnv().LAYERBOARD_SECRET_KEY ?? readOrCreateKeyFile()).digest());

export const sealSecret = (plain: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", getKey(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url")}`;
};

export const openSecret = (sealed: string): string => {
  const [version, body] = sealed.split(":");
  if (version !== VERSION || !body) throw new AppError("INTERNAL", "a stored webhook secret has an unknown format");
  const raw = Buffer.from(body, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", getKey(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new AppError("INTERNAL", "a stored webhook secret cannot be decrypted: LAYERBOARD_SECRET_KEY changed?");
  }
};
