// Create a project: name, slug and its build context (directory, git or uploaded archive).
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getContextRoots, getEnv } from "@/lib/env";
import { Card } from "@/components/ui/card";
import { AdminOnly } from "@/components/setup/admin-only";
import { ProjectForm } from "@/components/setup/project-form";
import { createProjectAction } from "../actions";

export const metadata = { title: "New project" };

export default async function NewProjectPage() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "ADMIN")) return <AdminOnly what="create projects" />;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">New project</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          A project is one application and where its build context comes from. Add variants (Dockerfiles, targets, build args) once it exists.
        </p>
      </div>
      <Card>
        <ProjectForm action={createProjectAction} roots={getContextRoots()} maxUploadBytes={getEnv().LAYERBOARD_MAX_UPLOAD_BYTES} />
      </Card>
    </div>
  );
}
