"use client";
// A destructive action on one row: a first click asks, a second (explicit) click submits.
import { useActionState, useState } from "react";
import type { FormAction } from "@/lib/actions/result";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { dangerButtonClass, secondaryButtonClass } from "@/components/ui/styles";

type Props = {
  action: FormAction;
  id: string;
  label: string;
  confirmLabel: string;
  pendingLabel: string;
  ariaLabel: string;
  warning?: string;
};

export const ConfirmActionForm = ({ action: serverAction, id, label, confirmLabel, pendingLabel, ariaLabel, warning }: Props) => {
  const [state, action, pending] = useActionState(serverAction, null);
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" onClick={() => setConfirming(true)} className={dangerButtonClass} aria-label={ariaLabel}>
        {label}
      </button>
    );
  return (
    <form action={action} className="flex flex-wrap items-center justify-end gap-2">
      <input type="hidden" name="id" value={id} />
      {warning && <span className="text-xs text-slate-600 dark:text-slate-300">{warning}</span>}
      <SubmitButton pending={pending} pendingLabel={pendingLabel} className={dangerButtonClass}>
        {confirmLabel}
      </SubmitButton>
      <button type="button" onClick={() => setConfirming(false)} className={secondaryButtonClass}>
        Cancel
      </button>
      <ActionFailure state={state} />
    </form>
  );
};
