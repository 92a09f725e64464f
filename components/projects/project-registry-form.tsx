"use client";
// A project's registry target (issue 17): host, repository prefix, username and a write-only
// password (never shown again: the field stays empty, "set" says one is stored).
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/result";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { inputClass, primaryButtonClass } from "@/components/ui/styles";

type Current = { host: string; repository: string; username: string | null; hasPassword: boolean; insecure: boolean } | null;

export const ProjectRegistryForm = ({ projectId, current, action: serverAction }: { projectId: string; current: Current; action: FormAction }) => {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2" data-testid="project-registry-form">
      <input type="hidden" name="projectId" value={projectId} />
      <label className="text-sm">
        Registry host
        <input name="host" defaultValue={current?.host ?? ""} placeholder="registry.example.com:5000 (blank: no registry)" className={inputClass} autoComplete="off" />
      </label>
      <label className="text-sm">
        Repository prefix
        <input name="repository" defaultValue={current?.repository ?? ""} placeholder="team/images" className={inputClass} autoComplete="off" />
      </label>
      <label className="text-sm">
        Username
        <input name="username" defaultValue={current?.username ?? ""} className={inputClass} autoComplete="off" />
      </label>
      <label className="text-sm">
        Password or token {current?.hasPassword && <span className="text-xs text-slate-500 dark:text-slate-400">(set; blank keeps it)</span>}
        <input name="password" type="password" defaultValue="" className={inputClass} autoComplete="new-password" />
      </label>
      <label className="flex items-center gap-2 text-sm sm:col-span-2">
        <input name="insecure" type="checkbox" defaultChecked={current?.insecure ?? false} />
        Plain HTTP to this host (it must be in the engine&apos;s insecure-registries too; loopback needs nothing)
      </label>
      <label className="flex items-center gap-2 text-sm sm:col-span-2">
        <input name="removePassword" type="checkbox" /> Remove the stored password
      </label>
      <div className="sm:col-span-2">
        <SubmitButton pending={pending} pendingLabel="Saving…" className={primaryButtonClass}>
          Save registry
        </SubmitButton>
        <ActionFailure state={state} />
        {state?.ok && <p className="text-sm text-emerald-700 dark:text-emerald-300">Saved.</p>}
      </div>
    </form>
  );
};
