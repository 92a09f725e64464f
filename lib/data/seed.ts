// First-start data: the bundled example project with its four variants (the administrator
// is users.ts's). lib/builds/seed.ts checks the context policy and decides what to create.
import "server-only";
import { db } from "@/lib/db";
import type { Strategy } from "@/lib/types";

export const EXAMPLE_PROJECT_SLUG = "pyapp-example";

export const EXAMPLE_PROJECT_CONTEXT = { contextKind: "DIRECTORY" as const, contextPath: "pyapp" };

type ExampleVariant = { name: string; strategy: Strategy; dockerfile: string; runtimeDockerfile?: string; artifactPath?: string };

export const EXAMPLE_VARIANTS: ExampleVariant[] = [
  { name: "single-stage", strategy: "SINGLE_STAGE", dockerfile: "Dockerfile.single" },
  { name: "multi-stage", strategy: "MULTI_STAGE", dockerfile: "Dockerfile.multi" },
  { name: "venv --copies", strategy: "VENV_COPIES", dockerfile: "Dockerfile.copies" },
  { name: "builder pattern", strategy: "BUILDER_PATTERN", dockerfile: "Dockerfile.build", runtimeDockerfile: "Dockerfile.runtime", artifactPath: "/out/venv.tar.gz" },
];

export const hasExampleProject = async (): Promise<boolean> => (await db.project.count({ where: { slug: EXAMPLE_PROJECT_SLUG } })) > 0;

export const createExampleProject = async (): Promise<void> => {
  await db.project.create({
    data: {
      slug: EXAMPLE_PROJECT_SLUG,
      name: "Python C-extension example",
      description:
        "A Python app with a C extension built four ways: single-stage, multi-stage, multi-stage with venv --copies, and the builder pattern. Which is smallest, fastest, and still runs?",
      ...EXAMPLE_PROJECT_CONTEXT,
      variants: { create: EXAMPLE_VARIANTS.map((variant, position) => ({ ...variant, position })) },
    },
  });
};
