// GET /api/share-links?buildId=…|comparisonId=… lists a report's links (never their tokens);
// POST {kind, buildId|comparisonId, expiresInDays?} creates one → {shareLink: {…, token, path}}.
import { apiRoute, readJson } from "@/lib/api/route";
import { createShareLink, findShareLinks } from "@/lib/data/share-links";
import { createShareLinkSchema, shareLinkListQuerySchema } from "@/lib/validations/share";

export const GET = apiRoute("VIEWER", async ({ request }) => {
  const query = shareLinkListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { shareLinks: await findShareLinks(query) };
});

export const POST = apiRoute(
  "BUILDER",
  async ({ request }) => ({ shareLink: await createShareLink(createShareLinkSchema.parse(await readJson(request))) }),
  { status: 201 },
);
