// First-start data: the administrator and the bundled example project with its four
// variants. Idempotent: running it again changes nothing that exists.
import "server-only";
import { db } from "@/lib/db";
import { ensureAdminUser } from "@/lib/data/users";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import type { Strategy } from "@/lib/types";

export const EXAMPLE_PROJECT_SLUG = "pyapp-example";

type ExampleVariant = { name: string; strategy: Strategy; dockerfile: string; runtimeDockerfile?: string; artifactPath?: string };

export const EXAMPLE_VARIANTS: ExampleVariant[] = [
  { name: "single-stage", strategy: "SINGLE_STAGE", dockerfile: "Dockerfile.single" },
  { name: "multi-stage", strategy: "MULTI_STAGE", dockerfile: "Dockerfile.multi" },
  { name: "venv --copies", strategy: "VENV_COPIES", dockerfile: "Dockerfile.copies" },
  { name: "builder pattern", strategy: "BUILDER_PATTERN", dockerfile: "Dockerfile.build", runtimeDockerfile: "Dockerfile.runtime", artifactPath: "/out/venv.tar.gz" },
];

export const seedExampleProject = async (): Promise<{ created: boolean; skipped?: string }> => {
  const existing = await db.project.findUnique({ where: { slug: EXAMPLE_PROJECT_SLUG } });
  if (existing) return { created: false };
  const project = { contextKind: "DIRECTORY" as const, contextPath: "pyapp" };
  try {
    await assertProjectContextAllowed(project);
  } catch (error) {
    return { created: false, skipped: `examples/pyapp is not under LAYERBOARD_CONTEXT_ROOTS (${(error as Error).message})` };
  }
  await db.project.create({
    data: {
      slug: EXAMPLE_PROJECT_SLUG,
      name: "Python C-extension example",
      description:
        "A Python app with a C extension built four ways: single-stage, multi-stage, multi-stage with venv --copies, and the builder pattern. Which is smallest, fastest, and still runs?",
      ...project,
      variants: { create: EXAMPLE_VARIANTS.map((variant, position) => ({ ...variant, position })) },
    },
  });
  return { created: true };
};

export const seed = async (admin: { email: string; password: string }) => {
  const adminResult = await ensureAdminUser(admin.email, admin.password);
  const example = await seedExampleProject();
  return { adminCreated: adminResult.created, exampleCreated: example.created, exampleSkipped: example.skipped };
};
