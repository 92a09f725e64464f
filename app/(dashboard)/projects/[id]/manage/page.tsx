// Manage a project (issue 13), administrators only: edit it, order, edit, archive or delete its
// variants, archive or delete the project itself, each delete saying what goes with it.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getProject } from "@/lib/data/projects";
import { nullIfNotFound } from "@/lib/data/not-found";
import { countProjectDependents, countVariantDependents } from "@/lib/data/manage-projects";
import { Card } from "@/components/ui/card";
import { AdminOnly } from "@/components/setup/admin-only";
import { ProjectEditForm } from "@/components/projects/project-edit-form";
import { ManageVariantsList } from "@/components/projects/manage-variants-list";
import { describeDependents } from "@/components/projects/describe-dependents";
import { ConfirmActionForm } from "@/components/settings/confirm-action-form";
import {
  archiveProjectAction,
  archiveVariantAction,
  deleteProjectAction,
  deleteVariantAction,
  moveVariantAction,
  restoreProjectAction,
  restoreVariantAction,
  updateProjectAction,
} from "./actions";

export const metadata = { title: "Manage project" };
export const dynamic = "force-dynamic";

export default async function ManageProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, actor] = await Promise.all([params, requirePageActor()]);
  if (!hasRole(actor.role, "ADMIN")) return <AdminOnly what="manage projects" />;
  const project = (await nullIfNotFound(getProject(id, { includeArchived: true }))) ?? notFound();
  const [projectDependents, rows] = await Promise.all([
    countProjectDependents(project.id),
    Promise.all(project.variants.map(async (v) => ({ ...v, dependents: await countVariantDependents(v.id) }))),
  ]);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
          <Link href={`/projects/${project.id}`} className="hover:underline">
            {project.name}
          </Link>{" "}
          / manage
        </nav>
        <h1 className="text-2xl font-semibold">Manage {project.name}</h1>
        {project.archivedAt && (
          <p role="status" className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
            This project is archived: it is hidden from the overview and cannot be built. Its history is kept.
          </p>
        )}
      </div>

      <Card title="Project">
        <ProjectEditForm project={project} action={updateProjectAction} />
      </Card>

      <Card
        title="Variants"
        actions={
          <Link href={`/setup/variant?project=${project.id}`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
            Add a variant
          </Link>
        }
      >
        <p className="mb-2 text-sm text-slate-500 dark:text-slate-400">The order here is the order of every list, chart and comparison.</p>
        <ManageVariantsList
          projectId={project.id}
          active={rows.filter((v) => !v.archivedAt)}
          archived={rows.filter((v) => v.archivedAt)}
          actions={{ move: moveVariantAction, archive: archiveVariantAction, restore: restoreVariantAction, remove: deleteVariantAction }}
        />
      </Card>

      <Card title="Archive or delete the project">
        <div className="space-y-4 text-sm">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="max-w-xl text-slate-600 dark:text-slate-300">
              {project.archivedAt ? "Restore it to the overview and the lists." : "Archiving hides it from the overview and the lists and stops new builds; every build is kept."}
            </p>
            {project.archivedAt ? (
              <ConfirmActionForm action={restoreProjectAction} id={project.id} label="Restore project" confirmLabel="Restore it" pendingLabel="Restoring…" ariaLabel={`Restore ${project.name}`} />
            ) : (
              <ConfirmActionForm action={archiveProjectAction} id={project.id} label="Archive project" confirmLabel="Archive it" pendingLabel="Archiving…" ariaLabel={`Archive ${project.name}`} />
            )}
          </div>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="max-w-xl text-slate-600 dark:text-slate-300" data-testid="project-dependents">
              {describeDependents("project", projectDependents)}
            </p>
            <ConfirmActionForm
              action={deleteProjectAction}
              id={project.id}
              label="Delete project"
              confirmLabel="Delete it for good"
              pendingLabel="Deleting…"
              ariaLabel={`Delete ${project.name}`}
              warning={`Delete ${project.name} and everything above?`}
            />
          </div>
        </div>
      </Card>
    </div>
  );
}
