"use client";
// "Backfill last N commits" (issue 15): N (up to the cap) and the branch, for a git project.
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/result";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { inputClass, primaryButtonClass } from "@/components/ui/styles";
import { BACKFILL_DEFAULT_COMMITS, BACKFILL_MAX_COMMITS } from "@/lib/builds/backfill-limits";

type Props = { projectId: string; defaultBranch: string; action: FormAction<string> };

export const BackfillForm = ({ projectId, defaultBranch, action }: Props) => {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-3" data-testid="backfill-form" aria-label="Backfill past commits">
      <input type="hidden" name="projectId" value={projectId} />
      <label className="w-28 text-sm">
        Commits
        <input name="count" type="number" min={1} max={BACKFILL_MAX_COMMITS} defaultValue={BACKFILL_DEFAULT_COMMITS} required className={inputClass} />
      </label>
      <label className="min-w-40 flex-1 text-sm sm:max-w-xs">
        Branch
        <input name="branch" type="text" defaultValue={defaultBranch} maxLength={255} required className={`${inputClass} font-mono`} />
      </label>
      <SubmitButton pending={pending} pendingLabel="Starting…" className={primaryButtonClass}>
        Backfill last N commits
      </SubmitButton>
      <p className="w-full text-xs text-slate-500 dark:text-slate-400">
        Builds every variant at each of the branch&apos;s last N first-parent commits (at most {BACKFILL_MAX_COMMITS}), oldest first, after any build a person starts. Commits already built with the same settings are skipped.
      </p>
      <ActionFailure state={state} className="w-full text-sm text-red-700 dark:text-red-300" />
      {state?.ok && <p className="w-full text-sm text-green-700 dark:text-green-300" role="status">Backfill started.</p>}
    </form>
  );
};
