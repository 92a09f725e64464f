// Server actions return { ok: true, data } | { ok: false, error } instead of throwing.
import "server-only";
import { ZodError } from "zod";
import { isAppError } from "@/lib/errors";

export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: string; field?: string };

export const runAction = async <T>(fn: () => Promise<T>): Promise<ActionResult<T>> => {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      const field = issue?.path.join(".");
      return { ok: false, error: field ? `${field}: ${issue.message}` : issue?.message ?? "invalid input", field };
    }
    if (isAppError(error)) return { ok: false, error: error.message };
    // Next.js signals redirects by throwing; let them through.
    if (error instanceof Error && "digest" in error && String((error as { digest: unknown }).digest).startsWith("NEXT_REDIRECT")) throw error;
    console.error("[action]", error);
    return { ok: false, error: "something went wrong; see the server log" };
  }
};
