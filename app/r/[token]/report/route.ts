// GET /r/:token/report?format=md|json|csv[&rows=layers]: the shared snapshot as a file,
// public like the page. Same 404 for unknown, revoked and expired links.
import { publicRoute } from "@/lib/api/route";
import { getSharedReport } from "@/lib/data/share-links";
import { AppError } from "@/lib/errors";
import { renderReport, toReportResponse } from "@/lib/reports/render-report";
import { getRequestOrigin } from "@/lib/reports/request-origin";
import { getSharePath } from "@/lib/reports/report-paths";
import { reportQuerySchema, shareTokenSchema } from "@/lib/validations/share";

export const GET = publicRoute<{ token: string }>(async ({ request, params }) => {
  if (!shareTokenSchema.safeParse(params.token).success) throw new AppError("NOT_FOUND", "this report link does not exist, was revoked or has expired");
  const query = reportQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { report } = await getSharedReport(params.token);
  const origin = getRequestOrigin(request);
  // No dashboard link: readers of a shared report usually have no account.
  const response = toReportResponse(renderReport(report, query.format, { rows: query.rows, shareUrl: `${origin}${getSharePath(params.token)}` }), {
    download: query.download,
  });
  response.headers.set("x-robots-tag", "noindex");
  response.headers.set("referrer-policy", "no-referrer");
  return response;
});
