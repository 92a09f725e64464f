// GET /api/builds/:id/content/findings?image=main — the analysis' status and progress (the
// build page polls it), and once it succeeded the run findings, waste and totals.
// 404 when no analysis was queued for the build.
import { apiRoute } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { getContentFindings } from "@/lib/data/content-views";
import { idSchema } from "@/lib/validations/build";
import { contentImageQuerySchema, queryOf } from "@/lib/validations/content";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  const analysis = await getContentFindings(id, contentImageQuerySchema.parse(queryOf(request)).image);
  if (!analysis) throw new AppError("NOT_FOUND", `build ${id} has no content analysis (only successful builds are analysed)`);
  return { analysis };
});
