import { apiRoute, readJson } from "@/lib/api/route";
import { createVariant } from "@/lib/data/projects";
import { idSchema, variantSchema } from "@/lib/validations/build";

export const POST = apiRoute<{ id: string }>(
  "ADMIN",
  async ({ request, params }) => ({ variant: await createVariant(idSchema.parse(params.id), variantSchema.parse(await readJson(request))) }),
  { status: 201 },
);
