// Users, sessions and login attempts.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashPassword, verifyPasswordOrDummy } from "@/lib/auth/password";
import { createSecret, hashSecret } from "@/lib/auth/tokens";
import type { Role } from "@/lib/auth/roles";
import { LOGIN_POLICY, SESSION_TTL_MS, type LoginPolicy } from "@/lib/auth/policy";
import { Prisma } from "@/lib/generated/prisma/client";

export type UserDto = { id: string; email: string; name: string; role: Role; createdAt: string };

const toUserDto = (u: { id: string; email: string; name: string; role: Role; createdAt: Date }): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: u.createdAt.toISOString(),
});

export const findUsers = async (): Promise<UserDto[]> => (await db.user.findMany({ orderBy: { createdAt: "asc" } })).map(toUserDto);

export const createUser = async (input: { email: string; name: string; password: string; role: Role }): Promise<UserDto> => {
  const email = input.email.toLowerCase();
  if (await db.user.findUnique({ where: { email } })) throw new AppError("CONFLICT", `a user with email ${email} already exists`);
  const user = await db.user.create({ data: { email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) } });
  return toUserDto(user);
};

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

// Locks every admin row, so two concurrent demotions or deletions cannot both see "another
// admin is left" and leave none (READ COMMITTED re-checks the locked rows' role).
const lockAdmins = (tx: Tx) => tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "role" = 'ADMIN' FOR UPDATE`;

const assertNotLastAdmin = async (tx: Tx, userId: string, action: string) => {
  const admins = await lockAdmins(tx);
  if (admins.length <= 1 && admins.some((a) => a.id === userId)) throw new AppError("CONFLICT", `cannot ${action} the last administrator`);
};

// Changing your own role is refused: it is how an admin locks themselves out by accident.
export const updateUserRole = async (input: { id: string; role: Role; actingUserId: string }): Promise<UserDto> => {
  if (input.id === input.actingUserId) throw new AppError("CONFLICT", "you cannot change your own role; ask another administrator");
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.id } });
    if (!user) throw new AppError("NOT_FOUND", "user not found");
    if (user.role === "ADMIN" && input.role !== "ADMIN") await assertNotLastAdmin(tx, user.id, "demote");
    return toUserDto(await tx.user.update({ where: { id: user.id }, data: { role: input.role } }));
  });
};

// Sessions go with the user (cascade), and so do the API tokens they created.
export const deleteUser = async (input: { id: string; actingUserId: string }): Promise<void> => {
  if (input.id === input.actingUserId) throw new AppError("CONFLICT", "you cannot delete yourself");
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.id } });
    if (!user) throw new AppError("NOT_FOUND", "user not found");
    if (user.role === "ADMIN") await assertNotLastAdmin(tx, user.id, "delete");
    await tx.user.delete({ where: { id: user.id } });
  });
};

// The first admin comes from the environment (or a generated password the launcher prints).
export const ensureAdminUser = async (email: string, password: string): Promise<{ created: boolean }> => {
  if (await db.user.count({ where: { role: "ADMIN" } })) return { created: false };
  await createUser({ email, name: "Administrator", password, role: "ADMIN" });
  return { created: true };
};

// The oldest administrator: who `npm run token` creates a token for.
export const findFirstAdmin = async (): Promise<UserDto | null> => {
  const user = await db.user.findFirst({ where: { role: "ADMIN" }, orderBy: { createdAt: "asc" } });
  return user && toUserDto(user);
};

// The user behind a session cookie, or null when the session is unknown or has expired.
export const findSessionUser = async (token: string): Promise<UserDto | null> => {
  const session = await db.session.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  if (!session || session.expiresAt < new Date()) return null;
  return toUserDto(session.user);
};

export const createSession = async (userId: string): Promise<{ token: string; expiresAt: Date }> => {
  const token = createSecret("lbs");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.session.create({ data: { userId, tokenHash: hashSecret(token), expiresAt } });
  return { token, expiresAt };
};

export const deleteSession = async (token: string) => {
  await db.session.deleteMany({ where: { tokenHash: hashSecret(token) } });
};

// Sign-in throttle (lib/auth/policy.ts): one row per key, "email:<address>" and, behind a
// trusted proxy, "client:<address>" (without one every browser looks alike and a per-client
// limit would lock everyone out). Each attempt is checked and counted in ONE statement before
// the password is checked: the upsert's conflict branch runs on the locked row, so parallel
// attempts queue on it and a burst gets at most the free allowance (then one per wait). A
// key's wait is set when an attempt reaches the allowance and doubles with each further one,
// capped; a key with no attempt for the window starts afresh. Times are UTC like Prisma's.
const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

const claimLoginAttempt = async (key: string, policy: LoginPolicy): Promise<{ allowed: true } | { allowed: false; waitMs: number }> => {
  const window = Prisma.sql`make_interval(secs => ${policy.windowMs}::float8 / 1000)`;
  const attempts = Prisma.sql`(CASE WHEN lt."lastAttemptAt" < ${NOW} - ${window} THEN 1 ELSE lt."attempts" + 1 END)`;
  const blockedAfter = (n: Prisma.Sql) =>
    Prisma.sql`(CASE WHEN ${n} >= ${policy.freeAttempts}::int THEN ${NOW} + make_interval(secs => LEAST(${policy.baseDelayMs}::float8 * power(2, LEAST(${n} - ${policy.freeAttempts}::int, 40)), ${policy.maxDelayMs}::float8) / 1000) ELSE NULL END)`;
  const claimed = await db.$queryRaw<{ attempts: number }[]>`
    INSERT INTO "LoginThrottle" AS lt ("key", "attempts", "blockedUntil", "lastAttemptAt")
    VALUES (${key}, 1, ${blockedAfter(Prisma.sql`1`)}, ${NOW})
    ON CONFLICT ("key") DO UPDATE SET "attempts" = ${attempts}, "blockedUntil" = ${blockedAfter(attempts)}, "lastAttemptAt" = ${NOW}
    WHERE lt."blockedUntil" IS NULL OR lt."blockedUntil" <= ${NOW}
    RETURNING lt."attempts"`;
  if (claimed.length) return { allowed: true };
  const [row] = await db.$queryRaw<{ wait_ms: number | null }[]>`
    SELECT (EXTRACT(EPOCH FROM ("blockedUntil" - ${NOW})) * 1000)::float8 AS wait_ms FROM "LoginThrottle" WHERE "key" = ${key}`;
  return { allowed: false, waitMs: Math.max(0, Number(row?.wait_ms ?? 0)) };
};

// Rows of keys that have been quiet for the window (and wait for nothing), a bounded batch per
// sign-in, so the table holds only recent keys (rows another sign-in holds are skipped, not waited for).
export const pruneLoginThrottle = async (policy: LoginPolicy = LOGIN_POLICY, limit = 500): Promise<number> =>
  db.$executeRaw`
    DELETE FROM "LoginThrottle" WHERE "key" IN (
      SELECT "key" FROM "LoginThrottle"
      WHERE "lastAttemptAt" < ${NOW} - make_interval(secs => ${policy.windowMs}::float8 / 1000) AND ("blockedUntil" IS NULL OR "blockedUntil" <= ${NOW})
      LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)`;

const rateLimited = (waitMs: number) =>
  new AppError("RATE_LIMITED", `too many sign-in attempts; try again in ${Math.max(1, Math.ceil(waitMs / 1000))} s`);

// Unknown e-mails are verified against a dummy hash: the same Argon2 work as a wrong password.
// A success clears the e-mail's count and gives the client its attempt back.
export const signIn = async (input: { email: string; password: string; clientKey: string | null }, policy: LoginPolicy = LOGIN_POLICY) => {
  const email = input.email.toLowerCase();
  await pruneLoginThrottle(policy);
  const clientKey = input.clientKey ? `client:${input.clientKey}` : null;
  const emailKey = `email:${email}`;
  // The client first: a client that is already waiting does not use up the e-mail's attempts.
  for (const key of clientKey ? [clientKey, emailKey] : [emailKey]) {
    const claim = await claimLoginAttempt(key, policy);
    if (!claim.allowed) throw rateLimited(claim.waitMs);
  }
  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPasswordOrDummy(user?.passwordHash ?? null, input.password);
  if (!user || !ok) throw new AppError("UNAUTHENTICATED", "wrong email or password");
  await db.loginThrottle.deleteMany({ where: { key: emailKey } });
  if (clientKey) await db.$executeRaw`UPDATE "LoginThrottle" SET "attempts" = GREATEST("attempts" - 1, 0) WHERE "key" = ${clientKey}`;
  await db.session.deleteMany({ where: { userId: user.id, expiresAt: { lt: new Date() } } });
  return createSession(user.id);
};
