// GET /api/builds/:id/verdict → {verdict: {done, passed, healthy, budgetPassed, status, runs, messages, builds}}
// passed needs a finished, successful build whose image runs and is within budget.
import { apiRoute } from "@/lib/api/route";
import { getBuildReport } from "@/lib/data/reports";
import { computeReportVerdict } from "@/lib/reports/report-verdict";
import { idSchema } from "@/lib/validations/build";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ params }) => ({
  verdict: computeReportVerdict(await getBuildReport(idSchema.parse(params.id))),
}));
