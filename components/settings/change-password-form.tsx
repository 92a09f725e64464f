"use client";
// Your own password (issue 13): the current one, the new one twice. The generated first
// administrator's password is changed here too. Other sessions end; this one stays.
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/result";
import { SubmitButton } from "@/components/ui/action-form";
import { inputClass, primaryButtonClass } from "@/components/ui/styles";

type Changed = { revokedSessions: number };

const FieldMessage = ({ name, message }: { name: string; message?: string }) =>
  message ? (
    <p id={`password-${name}-error`} data-field-error={name} className="mt-1 text-sm text-red-700 dark:text-red-400">
      {message}
    </p>
  ) : null;

export const ChangePasswordForm = ({ action, minLength }: { action: FormAction<Changed>; minLength: number }) => {
  const [state, dispatch, pending] = useActionState(action, null);
  const fields = state && !state.ok ? (state.error.fields ?? {}) : {};
  const input = (name: string, label: string, autoComplete: string, hint?: string) => (
    <div>
      <label htmlFor={`password-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={`password-${name}`}
        name={name}
        type="password"
        required
        autoComplete={autoComplete}
        maxLength={1024}
        aria-invalid={fields[name] ? true : undefined}
        aria-describedby={[fields[name] ? `password-${name}-error` : null, hint ? `password-${name}-hint` : null].filter(Boolean).join(" ") || undefined}
        className={`${inputClass} aria-[invalid=true]:border-red-500`}
      />
      {hint && (
        <p id={`password-${name}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      <FieldMessage name={name} message={fields[name]} />
    </div>
  );
  return (
    <form action={dispatch} aria-label="Change your password" className="grid gap-3 sm:grid-cols-3">
      {input("currentPassword", "Current password", "current-password")}
      {input("newPassword", "New password", "new-password", `At least ${minLength} characters.`)}
      {input("confirmPassword", "New password again", "new-password")}
      <div className="flex flex-wrap items-center gap-3 sm:col-span-3">
        <SubmitButton pending={pending} pendingLabel="Changing…" className={primaryButtonClass}>
          Change password
        </SubmitButton>
        {state && !state.ok && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {state.error.message}
          </p>
        )}
        {state?.ok && (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            Password changed. {state.data.revokedSessions === 0 ? "No other session was signed in." : `${state.data.revokedSessions} other ${state.data.revokedSessions === 1 ? "session was" : "sessions were"} signed out.`}
          </p>
        )}
      </div>
    </form>
  );
};
