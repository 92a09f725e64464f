// Generate the four strategy variants of a Python project: ?project=<id or slug>.
import { getEnv } from "@/lib/env";
import { findExistingTemplateFiles, findTemplateTarget } from "@/lib/builds/apply-variant-templates";
import { Card } from "@/components/ui/card";
import { openProjectSetup, type ProjectSetupSearchParams } from "../project-setup";
import { ProjectSetupHeader } from "@/components/setup/project-setup-header";
import { TemplatesForm } from "@/components/setup/templates-form";
import { applyTemplatesAction } from "../actions";

export const metadata = { title: "Variant templates" };

export default async function TemplatesPage({ searchParams }: { searchParams: ProjectSetupSearchParams }) {
  const { project, instead } = await openProjectSetup(searchParams, { what: "generate variants", title: "Variant templates", path: "/setup/templates" });
  if (!project) return instead;
  const target = await findTemplateTarget(project);
  const existingFiles = target.dir ? await findExistingTemplateFiles(target.dir) : [];
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <ProjectSetupHeader project={project} title="Variant templates">
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Dockerfiles for a Python project with native extensions, built four ways, offline (pip installs the project with --no-build-isolation and no
          index). The project needs a <code>pyproject.toml</code> or <code>setup.py</code> at the context root.
        </p>
      </ProjectSetupHeader>
      <Card>
        <TemplatesForm
          action={applyTemplatesAction}
          projectId={project.id}
          target={target}
          existingFiles={existingFiles}
          existingVariantNames={project.variants.map((v) => v.name)}
          defaultBaseImage={getEnv().LAYERBOARD_BASE_IMAGE}
        />
      </Card>
    </div>
  );
}
