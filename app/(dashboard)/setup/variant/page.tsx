// Add a variant to a project: ?project=<id or slug>.
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { Card } from "@/components/ui/card";
import { AdminOnly } from "@/components/setup/admin-only";
import { findProjectParam } from "../project-param";
import { ProjectPicker } from "@/components/setup/project-picker";
import { VariantForm } from "@/components/setup/variant-form";
import { createVariantAction } from "../actions";

export const metadata = { title: "Add variant" };

export default async function AddVariantPage({ searchParams }: { searchParams: Promise<{ project?: string | string[] }> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "ADMIN")) return <AdminOnly what="add variants" />;
  const project = await findProjectParam((await searchParams).project);
  if (!project) return <ProjectPicker title="Add a variant" path="/setup/variant" />;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div>
        <p className="text-sm">
          <Link href={`/projects/${project.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
            ← {project.name}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">Add a variant</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          One way of building {project.name}. For the four standard Python strategies,{" "}
          <Link href={`/setup/templates?project=${encodeURIComponent(project.id)}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
            generate them from templates
          </Link>
          .
        </p>
        {project.variants.length > 0 && (
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Existing variants: {project.variants.map((v) => v.name).join(", ")}</p>
        )}
      </div>
      <Card>
        <VariantForm action={createVariantAction} projectId={project.id} />
      </Card>
    </div>
  );
}
