"use client";
// An administrator sets another user's password (issue 13): a first click opens the field, the
// second sets it; every session of that user ends.
import { useActionState, useState } from "react";
import type { FormAction } from "@/lib/actions/result";
import { SubmitButton } from "@/components/ui/action-form";
import { secondaryButtonClass, selectClass } from "@/components/ui/styles";

type Changed = { revokedSessions: number };

export const ResetPasswordForm = ({ action, userId, email, minLength }: { action: FormAction<Changed>; userId: string; email: string; minLength: number }) => {
  const [state, dispatch, pending] = useActionState(action, null);
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" className={secondaryButtonClass} onClick={() => setOpen(true)} aria-label={`Reset the password of ${email}`}>
        Reset password
      </button>
    );
  const error = state && !state.ok ? (state.error.fields?.newPassword ?? state.error.message) : null;
  return (
    <form action={dispatch} className="flex flex-wrap items-center justify-end gap-2">
      <input type="hidden" name="id" value={userId} />
      <input
        name="newPassword"
        type="password"
        autoComplete="new-password"
        minLength={minLength}
        maxLength={1024}
        required
        aria-label={`New password for ${email}`}
        placeholder={`new password (${minLength}+)`}
        className={`${selectClass} w-44`}
      />
      <SubmitButton pending={pending} pendingLabel="Setting…" className={secondaryButtonClass}>
        Set password
      </SubmitButton>
      <button type="button" className={secondaryButtonClass} onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <p role="alert" className="w-full text-right text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="w-full text-right text-xs text-emerald-700 dark:text-emerald-400">
          Password set; {state.data.revokedSessions} {state.data.revokedSessions === 1 ? "session" : "sessions"} signed out.
        </p>
      )}
    </form>
  );
};
