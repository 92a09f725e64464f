// POST /api/projects/:id/variants/order {variantIds}: the project's active variants in their new
// order (each exactly once); every list of variants follows it.
import { apiRoute, readJson } from "@/lib/api/route";
import { reorderVariants } from "@/lib/data/manage-projects";
import { idSchema } from "@/lib/validations/build";
import { variantOrderSchema } from "@/lib/validations/manage";

export const POST = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  const { variantIds } = variantOrderSchema.parse(await readJson(request));
  return { variants: await reorderVariants(id, variantIds) };
});
