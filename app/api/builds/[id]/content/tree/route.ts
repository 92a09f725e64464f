// GET /api/builds/:id/content/tree?path=/usr&depth=2&top=12&image=main
// Directory aggregates under `path` for the treemap: bytes, files, base vs own bytes; each
// node's `top` largest children plus an "other" bucket.
import { apiRoute } from "@/lib/api/route";
import { getContentTree } from "@/lib/data/content-views";
import { idSchema } from "@/lib/validations/build";
import { contentTreeQuerySchema, queryOf } from "@/lib/validations/content";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  return { tree: await getContentTree(id, contentTreeQuerySchema.parse(queryOf(request))) };
});
