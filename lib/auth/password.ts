// Password hashing with Argon2id (@node-rs/argon2: prebuilt binaries, no install script).
import "server-only";
import { hash, verify } from "@node-rs/argon2";

export const hashPassword = (password: string) => hash(password);

// Argon2 verifications done by this process: lets tests see that a path did the work.
let verifications = 0;
export const passwordVerificationCount = () => verifications;

export const verifyPassword = async (passwordHash: string, password: string) => {
  verifications += 1;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
};

// Verified against when the e-mail is unknown, so an unknown e-mail costs the same Argon2
// work as a wrong password and the answer's timing does not tell which e-mails exist.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hash("layerboard-dummy-password-never-matches"));

/** The stored hash to verify against: the user's, or a dummy one (then the result is always false). */
export const verifyPasswordOrDummy = async (passwordHash: string | null, password: string): Promise<boolean> => {
  const ok = await verifyPassword(passwordHash ?? (await getDummyHash()), password);
  return passwordHash !== null && ok;
};
