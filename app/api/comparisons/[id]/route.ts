import { apiRoute } from "@/lib/api/route";
import { getComparison } from "@/lib/data/comparisons";
import { idSchema } from "@/lib/validations/build";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const baseline = new URL(request.url).searchParams.get("baseline");
  return { comparison: await getComparison(idSchema.parse(params.id), baseline ? idSchema.parse(baseline) : null) };
});
