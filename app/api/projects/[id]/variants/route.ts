import { apiRoute, readJson } from "@/lib/api/route";
import { createVariant } from "@/lib/data/projects";
import { assertVariantSavable } from "@/lib/builds/manage-projects";
import { idSchema, variantSchema } from "@/lib/validations/build";

// A directory project's Dockerfiles are checked at once (400 naming the field), not at build time.
export const POST = apiRoute<{ id: string }>(
  "ADMIN",
  async ({ request, params }) => {
    const projectId = idSchema.parse(params.id);
    const input = variantSchema.parse(await readJson(request));
    await assertVariantSavable(projectId, input);
    return { variant: await createVariant(projectId, input) };
  },
  { status: 201 },
);
