"use client";
// Administrators: API tokens for CI and the CLI. A new token is shown once, here, and never again.
import { useActionState, useEffect, useState } from "react";
import type { ApiTokenDto } from "@/lib/data/api-tokens";
import type { FormAction } from "@/lib/actions/result";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmActionForm } from "./confirm-action-form";
import { Table } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format/date";
import { inputClass, primaryButtonClass, secondaryButtonClass, selectClass } from "@/components/ui/styles";

/** The settings page's server actions, passed down as props. */
export type ApiTokensActions = { createApiToken: FormAction<{ token: string; apiToken: ApiTokenDto }>; revokeApiToken: FormAction };

const CreateTokenForm = ({ createApiToken }: { createApiToken: ApiTokensActions["createApiToken"] }) => {
  const [state, action, pending] = useActionState(createApiToken, null);
  const [dismissed, setDismissed] = useState(false);
  // Controlled, so that a refused submission keeps what was typed (React resets action forms).
  const [name, setName] = useState("");
  const [role, setRole] = useState("BUILDER");
  useEffect(() => {
    if (!state?.ok) return;
    setName("");
    setDismissed(false);
  }, [state]);
  const created = state?.ok && !dismissed ? state.data : null;
  return (
    <div className="space-y-3">
      <form action={action} aria-label="Create API token" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
        <label className="block text-sm font-medium">
          Token name
          <input name="name" required maxLength={80} placeholder="ci-pipeline" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} className={inputClass} />
        </label>
        <label className="block text-sm font-medium">
          Token role
          <select name="role" value={role} onChange={(e) => setRole(e.target.value)} className={`${selectClass} mt-1 block py-1.5`}>
            <option value="VIEWER">viewer</option>
            <option value="BUILDER">builder</option>
            <option value="ADMIN">admin</option>
          </select>
        </label>
        <SubmitButton pending={pending} pendingLabel="Creating…" className={primaryButtonClass}>
          Create token
        </SubmitButton>
        <ActionFailure state={state} className="w-full text-sm text-red-700 dark:text-red-400" />
      </form>
      {created && (
        <div data-testid="new-token" className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <p className="font-medium">
            Token “{created.apiToken.name}” ({created.apiToken.role.toLowerCase()}) created. Copy it now: it is not shown again.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code id="new-token-value" data-testid="new-token-value" className="break-all rounded bg-white px-2 py-1 font-mono text-xs select-all dark:bg-slate-900">
              {created.token}
            </code>
            <CopyButton value={created.token} targetId="new-token-value" />
          </div>
          <p className="text-xs text-slate-600 dark:text-slate-300">
            Use it as <code>Authorization: Bearer &lt;token&gt;</code>.
          </p>
          <button type="button" onClick={() => setDismissed(true)} className={secondaryButtonClass}>
            Done
          </button>
        </div>
      )}
    </div>
  );
};

export const ApiTokensManager = ({ tokens, actions }: { tokens: ApiTokenDto[]; actions: ApiTokensActions }) => (
  <div className="space-y-4">
    <CreateTokenForm createApiToken={actions.createApiToken} />
    {tokens.length === 0 ? (
      <p className="text-sm text-slate-500 dark:text-slate-400">No API tokens yet.</p>
    ) : (
      <Table data-testid="tokens-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id} data-testid="token-row" data-name={token.name} data-revoked={token.revokedAt !== null}>
              <td>{token.name}</td>
              <td className="font-mono text-xs">{token.prefix}…</td>
              <td>{token.role.toLowerCase()}</td>
              <td className="whitespace-nowrap text-xs text-slate-500" title={token.createdBy ? `by ${token.createdBy}` : undefined}>
                {formatDateTime(token.createdAt)}
              </td>
              <td className="whitespace-nowrap text-xs text-slate-500">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "never"}</td>
              <td>
                {token.revokedAt ? (
                  <span className="text-xs text-slate-500">revoked {formatDateTime(token.revokedAt)}</span>
                ) : (
                  <span className="text-xs text-emerald-700 dark:text-emerald-400">active</span>
                )}
              </td>
              <td className="text-right">{!token.revokedAt && (
                  <ConfirmActionForm action={actions.revokeApiToken} id={token.id} label="Revoke" confirmLabel="Confirm revoke" pendingLabel="Revoking…" ariaLabel={`Revoke ${token.name}`} />
                )}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    )}
  </div>
);
