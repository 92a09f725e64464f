// GET /api/builds/:id/report?format=md|json|csv[&rows=layers][&download=1]
import { apiRoute } from "@/lib/api/route";
import { getBuildReport } from "@/lib/data/reports";
import { renderReport, toReportResponse } from "@/lib/reports/render-report";
import { getRequestOrigin } from "@/lib/reports/request-origin";
import { idSchema } from "@/lib/validations/build";
import { reportQuerySchema } from "@/lib/validations/share";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const query = reportQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const report = await getBuildReport(idSchema.parse(params.id));
  return toReportResponse(renderReport(report, query.format, { rows: query.rows, baseUrl: getRequestOrigin(request) }), { download: query.download });
});
