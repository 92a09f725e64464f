// GET /api/builds/:id/content?path=/usr&depth=1&limit=200&cursor=<last path>&q=<substring>&image=main&show=present|deleted
// One page of the build's final filesystem (tree order): entries under `path` to `depth`, or
// those whose path contains `q`; with show=deleted the paths higher layers deleted. 404 without an analysis, 409 while it runs or when it failed.
import { apiRoute } from "@/lib/api/route";
import { getContentListing } from "@/lib/data/content-views";
import { idSchema } from "@/lib/validations/build";
import { contentListingQuerySchema, queryOf } from "@/lib/validations/content";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  return { content: await getContentListing(id, contentListingQuerySchema.parse(queryOf(request))) };
});
