// Users, sessions and login attempts.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createSecret, hashSecret } from "@/lib/auth/tokens";
import type { Role } from "@/lib/auth/roles";
import { LOGIN_WINDOW_MS, MAX_FAILED_LOGINS, SESSION_TTL_MS } from "@/lib/auth/policy";

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

// Rate limited per email and per client address: a few failures, then a 15-minute wait.
// clientKey is the client's address when a trusted proxy reports it, else null: without a
// proxy every browser looks alike and a per-client limit would lock everyone out.
export const signIn = async (input: { email: string; password: string; clientKey: string | null }) => {
  const email = input.email.toLowerCase();
  const keys = [`email:${email}`, ...(input.clientKey ? [`client:${input.clientKey}`] : [])];
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const failures = await db.loginAttempt.groupBy({ by: ["key"], where: { key: { in: keys }, succeeded: false, createdAt: { gte: since } }, _count: { _all: true } });
  if (failures.some((f) => f._count._all >= MAX_FAILED_LOGINS)) throw new AppError("RATE_LIMITED", `too many failed sign-ins; try again in ${LOGIN_WINDOW_MS / 60_000} minutes`);
  const user = await db.user.findUnique({ where: { email } });
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : false;
  await db.loginAttempt.createMany({ data: keys.map((key) => ({ key, succeeded: ok })) });
  if (!user || !ok) throw new AppError("UNAUTHENTICATED", "wrong email or password");
  await db.session.deleteMany({ where: { userId: user.id, expiresAt: { lt: new Date() } } });
  return createSession(user.id);
};
