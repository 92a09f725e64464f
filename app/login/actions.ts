"use server";
import { redirect } from "next/navigation";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { signIn } from "@/lib/data/users";
import { clearSessionCookie, getClientKey, setSessionCookie } from "@/lib/auth/session";
import { signInSchema } from "@/lib/validations/auth";
import { cookies } from "next/headers";
import { SESSION_COOKIE } from "@/lib/auth/actor";
import { deleteSession } from "@/lib/data/users";
import { assertActionSameOrigin } from "@/lib/actions/same-origin";

export const signInAction = async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  const result = await runAction(async () => {
    const input = signInSchema.parse({ email: form.get("email"), password: form.get("password") });
    const session = await signIn({ ...input, clientKey: await getClientKey() });
    await setSessionCookie(session.token, session.expiresAt);
    return undefined;
  });
  if (result.ok) redirect("/");
  return result;
};

// Not through runAction (nothing to report back): the cross-site check is made here.
export const signOutAction = async () => {
  await assertActionSameOrigin();
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(token);
  await clearSessionCookie();
  redirect("/login");
};
