// Add a variant to a project: ?project=<id or slug>.
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { openProjectSetup, type ProjectSetupSearchParams } from "../project-setup";
import { ProjectSetupHeader } from "@/components/setup/project-setup-header";
import { VariantForm } from "@/components/setup/variant-form";
import { createVariantAction } from "../actions";

export const metadata = { title: "Add variant" };

export default async function AddVariantPage({ searchParams }: { searchParams: ProjectSetupSearchParams }) {
  const { project, instead } = await openProjectSetup(searchParams, { what: "add variants", title: "Add a variant", path: "/setup/variant" });
  if (!project) return instead;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <ProjectSetupHeader project={project} title="Add a variant">
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
      </ProjectSetupHeader>
      <Card>
        <VariantForm action={createVariantAction} projectId={project.id} />
      </Card>
    </div>
  );
}
