// GET /api/builds/:id/content/packages?image=main — packages (exact bytes, largest first) and
// the files no package owns, grouped by directory.
import { apiRoute } from "@/lib/api/route";
import { getContentPackages } from "@/lib/data/content-views";
import { idSchema } from "@/lib/validations/build";
import { contentImageQuerySchema, queryOf } from "@/lib/validations/content";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  return await getContentPackages(id, contentImageQuerySchema.parse(queryOf(request)).image);
});
