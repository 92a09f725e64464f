"use server";
// Passwords (issue 13): every signed-in user changes their own (the current one required; their
// other sessions end); an administrator resets another user's (all of that user's sessions end).
import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { requireActionActor } from "@/lib/auth/session";
import { SESSION_COOKIE } from "@/lib/auth/actor";
import { AppError, fieldsError } from "@/lib/errors";
import { changeOwnPassword, resetUserPassword } from "@/lib/data/passwords";
import { idSchema } from "@/lib/validations/build";
import { changePasswordSchema, resetPasswordSchema } from "@/lib/validations/manage";

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export type PasswordChanged = { revokedSessions: number };

export const changeOwnPasswordAction = async (_state: ActionState<PasswordChanged>, form: FormData): Promise<ActionResult<PasswordChanged>> =>
  runAction(async () => {
    const actor = await requireActionActor("VIEWER");
    if (actor.kind !== "user") throw new AppError("FORBIDDEN", "sign in to change your password");
    const errors: Record<string, string> = {};
    if (field(form, "newPassword") !== field(form, "confirmPassword")) errors.confirmPassword = "the two new passwords differ";
    const parsed = changePasswordSchema.safeParse({ currentPassword: field(form, "currentPassword"), newPassword: field(form, "newPassword") });
    if (!parsed.success || Object.keys(errors).length) {
      const issues = [...(parsed.success ? [] : parsed.error.issues), ...Object.entries(errors).map(([key, message]) => ({ path: [key], message }))];
      throw fieldsError("The password was not changed.", issues);
    }
    const result = await changeOwnPassword({ userId: actor.userId, ...parsed.data, keepSessionToken: (await cookies()).get(SESSION_COOKIE)?.value ?? null });
    revalidatePath("/settings");
    return result;
  });

export const resetUserPasswordAction = async (_state: ActionState<PasswordChanged>, form: FormData): Promise<ActionResult<PasswordChanged>> =>
  runAction(async () => {
    const actor = await requireActionActor("ADMIN");
    if (actor.kind !== "user") throw new AppError("FORBIDDEN", "only a signed-in administrator can reset a password");
    const userId = idSchema.parse(field(form, "id"));
    const parsed = resetPasswordSchema.safeParse({ newPassword: field(form, "newPassword") });
    if (!parsed.success) throw fieldsError("The password was not reset.", parsed.error.issues);
    // Nothing the page shows changes: no revalidation, the form says what happened.
    return resetUserPassword({ userId, newPassword: parsed.data.newPassword, actingUserId: actor.userId });
  });
