// What every server-action form repeats: a submit button that says the action is running, and
// the action's error (useActionState's state once it is { ok: false }).
import type { ReactNode } from "react";
// Type-only: erased from the client bundle, so server-only is never pulled in.
import type { ActionState } from "@/lib/actions/result";

type SubmitButtonProps = { pending: boolean; pendingLabel: string; className: string; ariaLabel?: string; children: ReactNode };

export const SubmitButton = ({ pending, pendingLabel, className, ariaLabel, children }: SubmitButtonProps) => (
  <button type="submit" disabled={pending} aria-label={ariaLabel} className={className}>
    {pending ? pendingLabel : children}
  </button>
);

export const ActionFailure = ({ state, className = "text-sm text-red-700 dark:text-red-400" }: { state: ActionState<unknown>; className?: string }) =>
  state && !state.ok ? (
    <p role="alert" className={className}>
      {state.error.message}
    </p>
  ) : null;
