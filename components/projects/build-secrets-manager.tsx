"use client";
// Build secrets of a project and its variants (issue 17 item 6): add or replace one by name, delete
// one. Write-only: values go in a password field and are never shown again; only names and times are.
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/result";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { dangerButtonClass, inputClass, primaryButtonClass, selectClass } from "@/components/ui/styles";
import { formatDateTime } from "@/lib/format/date";

export type BuildSecretRow = { name: string; updatedAt: string; variantId: string | null; scope: string };

type Props = {
  projectId: string;
  secrets: BuildSecretRow[];
  variants: Array<{ id: string; name: string }>;
  actions: { save: FormAction; remove: FormAction };
};

const DeleteSecretButton = ({ projectId, secret, action: serverAction }: { projectId: string; secret: BuildSecretRow; action: FormAction }) => {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="inline">
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="name" value={secret.name} />
      <input type="hidden" name="variantId" value={secret.variantId ?? ""} />
      <SubmitButton pending={pending} pendingLabel="Deleting…" className={dangerButtonClass} ariaLabel={`Delete secret ${secret.name} (${secret.scope})`}>
        Delete
      </SubmitButton>
      <ActionFailure state={state} />
    </form>
  );
};

export const BuildSecretsManager = ({ projectId, secrets, variants, actions }: Props) => {
  const [state, action, pending] = useActionState(actions.save, null);
  const fields = state && !state.ok ? state.error.fields : undefined;
  return (
    <div className="space-y-4" data-testid="build-secrets">
      {secrets.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No build secrets yet.</p>
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-slate-500 dark:text-slate-400">
              <th className="py-1 font-medium">Name (mount id)</th>
              <th className="py-1 font-medium">Applies to</th>
              <th className="py-1 font-medium">Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {secrets.map((secret) => (
              <tr key={`${secret.variantId ?? ""}/${secret.name}`} className="border-t border-slate-200 dark:border-slate-800">
                <td className="py-1.5 font-mono">{secret.name}</td>
                <td className="py-1.5">{secret.scope}</td>
                <td className="py-1.5">
                  <time dateTime={secret.updatedAt}>{formatDateTime(secret.updatedAt)}</time>
                </td>
                <td className="py-1.5 text-right">
                  <DeleteSecretButton projectId={projectId} secret={secret} action={actions.remove} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form action={action} className="grid gap-3 sm:grid-cols-3" data-testid="build-secret-form">
        <input type="hidden" name="projectId" value={projectId} />
        <label className="text-sm">
          Name
          <input name="name" required maxLength={64} pattern="[A-Za-z0-9_.\-]{1,64}" placeholder="npm_token" className={`${inputClass} font-mono`} autoComplete="off" />
          {fields?.name && <span className="text-xs text-red-700 dark:text-red-400">{fields.name}</span>}
        </label>
        <label className="text-sm">
          Value (write-only, at most 64 KiB)
          <input name="value" type="password" required defaultValue="" className={inputClass} autoComplete="new-password" />
          {fields?.value && <span className="text-xs text-red-700 dark:text-red-400">{fields.value}</span>}
        </label>
        <label className="text-sm">
          Applies to
          <select name="variantId" defaultValue="" className={`${selectClass} mt-1 block w-full`}>
            <option value="">the whole project</option>
            {variants.map((variant) => (
              <option key={variant.id} value={variant.id}>
                variant {variant.name} (overrides the project&apos;s)
              </option>
            ))}
          </select>
        </label>
        <div className="sm:col-span-3">
          <SubmitButton pending={pending} pendingLabel="Saving…" className={primaryButtonClass}>
            Add or replace secret
          </SubmitButton>
          <ActionFailure state={state} />
          {state?.ok && <p className="text-sm text-emerald-700 dark:text-emerald-300">Saved. The value is not shown again.</p>}
        </div>
      </form>
    </div>
  );
};
