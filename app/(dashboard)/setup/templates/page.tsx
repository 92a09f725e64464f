// Generate the four strategy variants of a Python project: ?project=<id or slug>.
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getEnv } from "@/lib/env";
import { findExistingTemplateFiles, findTemplateTarget } from "@/lib/builds/apply-variant-templates";
import { Card } from "@/components/ui/card";
import { AdminOnly } from "@/components/setup/admin-only";
import { findProjectParam } from "../project-param";
import { ProjectPicker } from "@/components/setup/project-picker";
import { TemplatesForm } from "@/components/setup/templates-form";
import { applyTemplatesAction } from "../actions";

export const metadata = { title: "Variant templates" };

export default async function TemplatesPage({ searchParams }: { searchParams: Promise<{ project?: string | string[] }> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "ADMIN")) return <AdminOnly what="generate variants" />;
  const project = await findProjectParam((await searchParams).project);
  if (!project) return <ProjectPicker title="Variant templates" path="/setup/templates" />;
  const target = await findTemplateTarget(project);
  const existingFiles = target.dir ? await findExistingTemplateFiles(target.dir) : [];
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <div>
        <p className="text-sm">
          <Link href={`/projects/${project.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
            ← {project.name}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">Variant templates</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Dockerfiles for a Python project with native extensions, built four ways, offline (pip installs the project with --no-build-isolation and no
          index). The project needs a <code>pyproject.toml</code> or <code>setup.py</code> at the context root.
        </p>
      </div>
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
