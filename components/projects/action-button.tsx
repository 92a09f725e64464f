"use client";
// A one-button form for a server action that redirects on success and shows its error otherwise.
import { useActionState } from "react";
// Type-only: erased from the client bundle, so server-only is never pulled in.
import type { FormAction } from "@/lib/actions/result";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";

type Action = FormAction<string>;

type Props = {
  action: Action;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: "primary" | "secondary";
  ariaLabel?: string;
};

export const ActionButton = ({ action, fields, label, pendingLabel, variant = "primary", ariaLabel }: Props) => {
  const [state, formAction, pending] = useActionState(action, null);
  const style =
    variant === "primary"
      ? "bg-indigo-600 text-white hover:bg-indigo-700 dark:bg-indigo-500 dark:hover:bg-indigo-400"
      : "border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
  return (
    <form action={formAction} className="inline-flex flex-col items-end gap-1">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton
        pending={pending}
        pendingLabel={pendingLabel}
        ariaLabel={ariaLabel}
        className={`rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-wait disabled:opacity-60 ${style}`}
      >
        {label}
      </SubmitButton>
      <ActionFailure state={state} className="max-w-xs text-right text-xs text-red-700 dark:text-red-300" />
    </form>
  );
};
