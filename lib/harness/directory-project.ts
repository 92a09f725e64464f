// A DIRECTORY project and its variants written straight to the database, for the load runner
// and the integration tests (which may pass a private database's client).
import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type VariantFields = {
  name: string;
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  secretArgs?: string[];
  smokeCommand?: string[];
  noCache?: boolean;
  builder?: "CLASSIC" | "BUILDKIT";
};

/** `dir` is absolute; the variants keep their order as `position`. */
export const createDirectoryProject = (client: PrismaClient, slug: string, dir: string, variants: VariantFields[]) =>
  client.project.create({
    data: {
      slug,
      name: slug,
      contextKind: "DIRECTORY",
      contextPath: dir,
      variants: {
        create: variants.map((variant, position) => ({
          name: variant.name,
          dockerfile: variant.dockerfile ?? "Dockerfile",
          buildArgs: variant.buildArgs ?? {},
          secretArgs: variant.secretArgs ?? [],
          smokeCommand: variant.smokeCommand,
          noCache: variant.noCache ?? false,
          ...(variant.builder ? { builder: variant.builder } : {}),
          position,
        })),
      },
    },
    include: { variants: { orderBy: { position: "asc" } } },
  });
