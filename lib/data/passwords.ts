// Changing and resetting passwords (issue 13). A changed password revokes the user's other
// sessions; a reset by an administrator revokes all of them.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { hashSecret } from "@/lib/auth/tokens";

const getUserRow = async (id: string) => {
  const user = await db.user.findUnique({ where: { id } });
  if (!user) throw new AppError("NOT_FOUND", "user not found");
  return user;
};

/**
 * The user's own change: the current password must match (a wrong one is a field error, 400,
 * not a sign-out). Every session but `keepSessionToken` (the one making the change) is removed.
 */
export const changeOwnPassword = async (input: { userId: string; currentPassword: string; newPassword: string; keepSessionToken: string | null }): Promise<{ revokedSessions: number }> => {
  const user = await getUserRow(input.userId);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw new AppError("VALIDATION", "currentPassword: the current password is wrong", [{ path: ["currentPassword"], message: "the current password is wrong" }]);
  const passwordHash = await hashPassword(input.newPassword);
  const keep = input.keepSessionToken ? hashSecret(input.keepSessionToken) : null;
  const [, revoked] = await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { passwordHash } }),
    db.session.deleteMany({ where: { userId: user.id, ...(keep ? { NOT: { tokenHash: keep } } : {}) } }),
  ]);
  return { revokedSessions: revoked.count };
};

/** An administrator sets another user's password: all of that user's sessions end. */
export const resetUserPassword = async (input: { userId: string; newPassword: string; actingUserId: string }): Promise<{ revokedSessions: number }> => {
  if (input.userId === input.actingUserId) throw new AppError("CONFLICT", "change your own password with your current password (Settings → Your password)");
  const user = await getUserRow(input.userId);
  const passwordHash = await hashPassword(input.newPassword);
  const [, revoked] = await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { passwordHash } }),
    db.session.deleteMany({ where: { userId: user.id } }),
  ]);
  return { revokedSessions: revoked.count };
};
