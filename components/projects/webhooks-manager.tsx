"use client";
// A project's outgoing webhooks: add, edit (URL and secret are write-only: blank keeps them),
// delete (confirmed), send a test, and each webhook's recent delivery attempts.
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/result";
import type { WebhookDeliveryDto, WebhookDto } from "@/lib/data/webhooks";
import type { AttemptResult } from "@/lib/notifications/deliver";
import { EVENT_LABELS, NOTIFICATION_EVENTS } from "@/lib/notifications/events";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { ConfirmActionForm } from "@/components/settings/confirm-action-form";
import { EmptyState } from "@/components/ui/states";
import { Table } from "@/components/ui/table";
import { inputClass, primaryButtonClass, secondaryButtonClass, selectClass } from "@/components/ui/styles";

export type WebhooksActions = {
  save: FormAction<WebhookDto>;
  remove: FormAction;
  sendTest: FormAction<AttemptResult>;
};

type Props = { projectId: string; webhooks: Array<WebhookDto & { deliveries: WebhookDeliveryDto[] }>; actions: WebhooksActions };

const WebhookForm = ({ projectId, webhook, action: serverAction }: { projectId: string; webhook?: WebhookDto; action: FormAction<WebhookDto> }) => {
  const [state, action, pending] = useActionState(serverAction, null);
  const fields = state && !state.ok ? state.error.fields : undefined;
  return (
    <form action={action} className="space-y-3" data-testid={webhook ? `webhook-form-${webhook.id}` : "webhook-form-new"}>
      <input type="hidden" name="projectId" value={projectId} />
      {webhook && <input type="hidden" name="id" value={webhook.id} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="text-sm">
          Name
          <input name="name" required maxLength={80} defaultValue={webhook?.name ?? ""} className={inputClass} />
        </label>
        <label className="text-sm">
          Format
          <select name="format" defaultValue={webhook?.format ?? "slack"} className={`${selectClass} mt-1 block w-full`}>
            <option value="slack">Slack-compatible ({"{ text, blocks }"})</option>
            <option value="generic">Generic JSON (layerboard.notification/v1)</option>
          </select>
        </label>
        <label className="text-sm sm:col-span-2">
          URL {webhook && <span className="text-slate-500">(now {webhook.urlHint}; blank keeps it)</span>}
          <input name="url" type="password" autoComplete="off" required={!webhook} maxLength={2048} placeholder="https://hooks.slack.com/services/…" className={inputClass} />
        </label>
        <label className="text-sm sm:col-span-2">
          Signing secret (optional, 16+ characters; sent as an HMAC-SHA256 signature header){" "}
          {webhook?.hasSecret && <span className="text-slate-500">(one is set; blank keeps it)</span>}
          <input name="secret" type="password" autoComplete="off" minLength={16} maxLength={256} className={inputClass} />
        </label>
      </div>
      <fieldset className="text-sm">
        <legend className="mb-1 font-medium">Events</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {NOTIFICATION_EVENTS.map((event) => (
            <label key={event} className="flex items-center gap-2">
              <input type="checkbox" name="events" value={event} defaultChecked={webhook ? webhook.events.includes(event) : true} />
              {EVENT_LABELS[event]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="enabled" defaultChecked={webhook?.enabled ?? true} /> Enabled
        </label>
        {webhook?.hasSecret && (
          <label className="flex items-center gap-2">
            <input type="checkbox" name="removeSecret" /> Remove the signing secret
          </label>
        )}
        <SubmitButton pending={pending} pendingLabel="Saving…" className={primaryButtonClass}>
          {webhook ? "Save webhook" : "Add webhook"}
        </SubmitButton>
      </div>
      {fields && (
        <ul role="alert" className="text-sm text-red-700 dark:text-red-400">
          {Object.entries(fields).map(([field, message]) => (
            <li key={field}>
              {field}: {message}
            </li>
          ))}
        </ul>
      )}
      {!fields && <ActionFailure state={state} />}
      {state?.ok && <p className="text-sm text-emerald-700 dark:text-emerald-300">Saved. The URL and secret are stored encrypted and not shown again.</p>}
    </form>
  );
};

const SendTest = ({ id, action: serverAction }: { id: string; action: FormAction<AttemptResult> }) => {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <SubmitButton pending={pending} pendingLabel="Sending…" className={secondaryButtonClass}>
        Send test
      </SubmitButton>
      <ActionFailure state={state} />
      {state?.ok && (
        <span role="status" className={`text-sm ${state.data.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-400"}`}>
          {state.data.ok ? `delivered (HTTP ${state.data.statusCode})` : `failed: ${state.data.error}`}
        </span>
      )}
    </form>
  );
};

const DeliveryLog = ({ deliveries }: { deliveries: WebhookDeliveryDto[] }) =>
  deliveries.length ? (
    <Table caption="Recent delivery attempts">
      <thead>
        <tr>
          <th>Time (UTC)</th>
          <th>Event</th>
          <th className="text-right">Attempt</th>
          <th className="text-right">Status</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id}>
            <td className="whitespace-nowrap text-xs tabular-nums">{d.at.replace("T", " ").slice(0, 19)}</td>
            <td className="text-xs">{d.event}</td>
            <td className="text-right tabular-nums">{d.attempt}</td>
            <td className={`text-right tabular-nums ${d.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-400"}`}>{d.statusCode ?? "—"}</td>
            <td className="break-all text-xs">{d.error ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  ) : (
    <p className="text-sm text-slate-500 dark:text-slate-400">No deliveries yet.</p>
  );

export const WebhooksManager = ({ projectId, webhooks, actions }: Props) => (
  <div className="space-y-4">
    {webhooks.length === 0 && <EmptyState title="No webhooks yet">Add one to be told when a build fails, does not run, breaks its budget or grows.</EmptyState>}
    {webhooks.map((webhook) => (
      <div key={webhook.id} className="space-y-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="webhook">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="min-w-0">
            <p className="font-medium">
              {webhook.name} <span className="text-xs text-slate-500 dark:text-slate-400">({webhook.format}{webhook.enabled ? "" : ", off"})</span>
            </p>
            <p className="break-all font-mono text-xs text-slate-500 dark:text-slate-400">{webhook.urlHint}</p>
            <p className="text-xs text-slate-500 dark:text-slate-400">{webhook.events.join(", ") || "no events"}</p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <SendTest id={webhook.id} action={actions.sendTest} />
            <ConfirmActionForm
              action={actions.remove}
              id={webhook.id}
              label="Delete"
              confirmLabel="Delete webhook"
              pendingLabel="Deleting…"
              ariaLabel={`Delete webhook ${webhook.name}`}
            />
          </div>
        </div>
        <details>
          <summary className="cursor-pointer text-sm text-indigo-700 dark:text-indigo-300">Edit</summary>
          <div className="mt-3">
            <WebhookForm projectId={projectId} webhook={webhook} action={actions.save} />
          </div>
        </details>
        <details>
          <summary className="cursor-pointer text-sm text-indigo-700 dark:text-indigo-300">Delivery log ({webhook.deliveries.length})</summary>
          <div className="mt-3">
            <DeliveryLog deliveries={webhook.deliveries} />
          </div>
        </details>
      </div>
    ))}
    <details open={webhooks.length === 0} className="rounded-lg border border-dashed border-slate-300 p-3 dark:border-slate-700">
      <summary className="cursor-pointer text-sm font-medium">Add a webhook</summary>
      <div className="mt-3">
        <WebhookForm projectId={projectId} action={actions.save} />
      </div>
    </details>
  </div>
);
