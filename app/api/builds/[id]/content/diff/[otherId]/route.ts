// GET /api/builds/:id/content/diff/:otherId?depth=2&top=10&image=main — what build :otherId's
// image has that build :id's has not and the reverse (B − A), grouped by top directories and
// by package, largest first. 404/409 as for the content of either build.
import { apiRoute } from "@/lib/api/route";
import { getContentDiff } from "@/lib/data/content-views";
import { idSchema } from "@/lib/validations/build";
import { contentDiffQuerySchema, queryOf } from "@/lib/validations/content";

export const GET = apiRoute<{ id: string; otherId: string }>("VIEWER", async ({ request, params }) => {
  const a = idSchema.parse(params.id);
  const b = idSchema.parse(params.otherId);
  return await getContentDiff(a, b, contentDiffQuerySchema.parse(queryOf(request)));
});
