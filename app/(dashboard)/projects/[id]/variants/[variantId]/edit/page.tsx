// Edit a variant (issue 13), administrators only: every field of the add-variant form. Past
// builds keep the settings they were built with.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getProject } from "@/lib/data/projects";
import { nullIfNotFound } from "@/lib/data/not-found";
import { toVariantFormValues } from "@/lib/actions/setup-form";
import { Card } from "@/components/ui/card";
import { AdminOnly } from "@/components/setup/admin-only";
import { VariantForm } from "@/components/setup/variant-form";
import { updateVariantAction } from "../../../manage/actions";

export const metadata = { title: "Edit variant" };
export const dynamic = "force-dynamic";

export default async function EditVariantPage({ params }: { params: Promise<{ id: string; variantId: string }> }) {
  const [{ id, variantId }, actor] = await Promise.all([params, requirePageActor()]);
  if (!hasRole(actor.role, "ADMIN")) return <AdminOnly what="edit variants" />;
  const project = (await nullIfNotFound(getProject(id, { includeArchived: true }))) ?? notFound();
  const variant = project.variants.find((v) => v.id === variantId) ?? notFound();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
          <Link href={`/projects/${project.id}`} className="hover:underline">
            {project.name}
          </Link>{" "}
          /{" "}
          <Link href={`/projects/${project.id}/manage`} className="hover:underline">
            manage
          </Link>{" "}
          / variant
        </nav>
        <h1 className="text-2xl font-semibold">Edit {variant.name}</h1>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          Past builds keep the settings they were built with. Secret build args show as *** : leave them so to keep their values.
        </p>
      </div>
      <Card>
        <VariantForm
          action={updateVariantAction}
          projectId={project.id}
          variantId={variant.id}
          initial={{ ...toVariantFormValues(variant), noCache: variant.noCache }}
          submitLabel="Save variant"
          pendingLabel="Saving…"
        />
      </Card>
    </div>
  );
}
