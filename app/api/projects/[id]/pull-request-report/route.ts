// The pull-request report (issue 15 item 5, docs/push.md): POST {base, head} builds both refs
// (reusing builds of the same commit and image settings) and answers the report as it stands;
// GET ?base=<sha>&head=<sha> reads it again (the CLI polls it until done). Markdown included.
import { apiRoute, readJson } from "@/lib/api/route";
import { getPullRequestReport, startPullRequestReport } from "@/lib/builds/pull-request";
import { renderPullRequestMarkdown } from "@/lib/reports/render-pull-request-markdown";
import { getRequestOrigin } from "@/lib/reports/request-origin";
import { idSchema } from "@/lib/validations/build";
import { pullRequestQuerySchema, startPullRequestSchema } from "@/lib/validations/pull-request";

export const POST = apiRoute<{ id: string }>(
  "BUILDER",
  async ({ request, params }) => {
    const input = startPullRequestSchema.parse(await readJson(request));
    const { report, queued, reused } = await startPullRequestReport(idSchema.parse(params.id), input);
    return { pullRequest: { queued, reused, report, markdown: renderPullRequestMarkdown(report, { baseUrl: getRequestOrigin(request) }) } };
  },
  { status: 202 },
);

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const query = pullRequestQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const report = await getPullRequestReport(idSchema.parse(params.id), {
    base: { ref: query.baseRef ?? query.base, sha: query.base },
    head: { ref: query.headRef ?? query.head, sha: query.head },
  });
  return { pullRequest: { report, markdown: renderPullRequestMarkdown(report, { baseUrl: getRequestOrigin(request) }) } };
});
