// The manage page's variants (issue 13): in their order, with up/down, edit, archive and delete
// (the delete says what goes with it); archived variants below, with restore and delete.
import Link from "next/link";
import type { FormAction } from "@/lib/actions/result";
import type { Dependents } from "@/lib/data/manage-projects";
import type { VariantDto } from "@/lib/types";
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import { ActionButton } from "@/components/projects/action-button";
import { ConfirmActionForm } from "@/components/settings/confirm-action-form";
import { describeDependents } from "@/components/projects/describe-dependents";

export type ManageVariantActions = { move: FormAction<string>; archive: FormAction; restore: FormAction; remove: FormAction };

type Row = VariantDto & { dependents: Dependents };

const VariantName = ({ variant }: { variant: VariantDto }) => (
  <div className="min-w-0">
    <div className="font-medium break-words">{variant.name}</div>
    <div className="text-xs text-slate-500 dark:text-slate-400">
      {STRATEGY_META[variant.strategy].label} · <span className="font-mono">{variant.dockerfile}</span>
      {variant.runtimeDockerfile && <span className="font-mono"> + {variant.runtimeDockerfile}</span>}
    </div>
  </div>
);

export const ManageVariantsList = ({ projectId, active, archived, actions }: { projectId: string; active: Row[]; archived: Row[]; actions: ManageVariantActions }) => (
  <div className="space-y-4">
    {active.length === 0 ? (
      <p className="text-sm text-slate-500 dark:text-slate-400">No active variants.</p>
    ) : (
      <ol className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Variants in order">
        {active.map((variant, index) => (
          <li key={variant.id} data-testid="manage-variant" data-name={variant.name} className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div className="flex min-w-0 items-center gap-3">
              <span className="w-6 shrink-0 text-right text-sm tabular-nums text-slate-500">{index + 1}.</span>
              <VariantName variant={variant} />
            </div>
            <div className="flex flex-wrap items-center justify-end gap-2">
              {index > 0 && (
                <ActionButton action={actions.move} fields={{ projectId, variantId: variant.id, direction: "up" }} label="↑" pendingLabel="…" variant="secondary" ariaLabel={`Move ${variant.name} up`} />
              )}
              {index < active.length - 1 && (
                <ActionButton action={actions.move} fields={{ projectId, variantId: variant.id, direction: "down" }} label="↓" pendingLabel="…" variant="secondary" ariaLabel={`Move ${variant.name} down`} />
              )}
              <Link
                href={`/projects/${projectId}/variants/${variant.id}/edit`}
                className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                aria-label={`Edit ${variant.name}`}
              >
                Edit
              </Link>
              <ConfirmActionForm
                action={actions.archive}
                id={variant.id}
                label="Archive"
                confirmLabel="Archive it"
                pendingLabel="Archiving…"
                ariaLabel={`Archive ${variant.name}`}
                warning={`Keeps its ${variant.dependents.builds} builds; it leaves "Compare all variants" and the overview.`}
              />
              <ConfirmActionForm
                action={actions.remove}
                id={variant.id}
                label="Delete"
                confirmLabel="Delete it"
                pendingLabel="Deleting…"
                ariaLabel={`Delete ${variant.name}`}
                warning={describeDependents("variant", variant.dependents)}
              />
            </div>
          </li>
        ))}
      </ol>
    )}
    {archived.length > 0 && (
      <section aria-labelledby="archived-variants-heading">
        <h3 id="archived-variants-heading" className="text-sm font-medium text-slate-600 dark:text-slate-300">
          Archived
        </h3>
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {archived.map((variant) => (
            <li key={variant.id} data-testid="archived-variant" data-name={variant.name} className="flex flex-wrap items-center justify-between gap-3 py-3 opacity-80">
              <VariantName variant={variant} />
              <div className="flex flex-wrap items-center justify-end gap-2">
                <ConfirmActionForm action={actions.restore} id={variant.id} label="Restore" confirmLabel="Restore it" pendingLabel="Restoring…" ariaLabel={`Restore ${variant.name}`} warning="It joins the comparisons again, last in the order." />
                <ConfirmActionForm
                  action={actions.remove}
                  id={variant.id}
                  label="Delete"
                  confirmLabel="Delete it"
                  pendingLabel="Deleting…"
                  ariaLabel={`Delete ${variant.name}`}
                  warning={describeDependents("variant", variant.dependents)}
                />
              </div>
            </li>
          ))}
        </ul>
      </section>
    )}
  </div>
);
