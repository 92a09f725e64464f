"use client";
// A project's retention overrides: builds kept per variant (K) and days of logs (D); blank is the default.
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/result";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { inputClass, primaryButtonClass } from "@/components/ui/styles";

type Props = {
  projectId: string;
  current: { retainBuilds: number | null; retainLogDays: number | null };
  defaults: { retainBuilds: number; retainLogDays: number };
  action: FormAction;
};

export const ProjectRetentionForm = ({ projectId, current, defaults, action: serverAction }: Props) => {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end" data-testid="project-retention-form">
      <input type="hidden" name="projectId" value={projectId} />
      <label className="text-sm">
        Images kept per variant (last K builds)
        <input name="retainBuilds" type="number" min={1} max={1000} defaultValue={current.retainBuilds ?? ""} placeholder={`default ${defaults.retainBuilds}`} className={inputClass} />
      </label>
      <label className="text-sm">
        Days of build logs kept (D)
        <input name="retainLogDays" type="number" min={1} max={3650} defaultValue={current.retainLogDays ?? ""} placeholder={`default ${defaults.retainLogDays}`} className={inputClass} />
      </label>
      <SubmitButton pending={pending} pendingLabel="Saving…" className={primaryButtonClass}>
        Save
      </SubmitButton>
      <div className="sm:col-span-3">
        <ActionFailure state={state} />
        {state?.ok && <p className="text-sm text-emerald-700 dark:text-emerald-300">Saved.</p>}
      </div>
    </form>
  );
};
