// Server actions return { ok: true, data } | { ok: false, error } instead of throwing; the error
// comes from the one mapping in lib/errors. Client components import the types only (erased).
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { toErrorInfo, type AppErrorCode, type FieldErrors } from "@/lib/errors";
import { assertActionSameOrigin } from "@/lib/actions/same-origin";

/** `fields`: one message per form field, when the input was wrong. */
export type ActionError = { code: AppErrorCode; message: string; fields?: FieldErrors };

export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: ActionError };

/** What useActionState holds: null before the first submission. */
export type ActionState<T = undefined> = ActionResult<T> | null;

/** A server action driven by useActionState; pages pass these to forms as props. */
export type FormAction<T = undefined> = (state: ActionState<T>, form: FormData) => Promise<ActionResult<T>>;

export const toActionError = (error: unknown): ActionError => {
  const { code, message, fields } = toErrorInfo(error, "action");
  return fields ? { code, message, fields } : { code, message };
};

// Every action's body runs only for a request from one of our own pages (refused: FORBIDDEN).
export const runAction = async <T>(fn: () => Promise<T>): Promise<ActionResult<T>> => {
  try {
    await assertActionSameOrigin();
    return { ok: true, data: await fn() };
  } catch (error) {
    // Next.js signals redirect() and notFound() by throwing; let them through.
    unstable_rethrow(error);
    return { ok: false, error: toActionError(error) };
  }
};
