// GET /api/comparisons/:id/verdict → {verdict}: passed only when every variant finished,
// succeeded, runs and is within budget (see lib/reports/report-verdict.ts).
import { apiRoute } from "@/lib/api/route";
import { getComparisonReport } from "@/lib/data/reports";
import { computeReportVerdict } from "@/lib/reports/report-verdict";
import { idSchema } from "@/lib/validations/build";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ params }) => ({
  verdict: computeReportVerdict(await getComparisonReport(idSchema.parse(params.id))),
}));
