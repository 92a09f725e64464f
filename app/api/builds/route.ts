import { apiRoute, readJson } from "@/lib/api/route";
import { searchBuilds } from "@/lib/data/build-search";
import { startBuild } from "@/lib/builds/start-build";
import { startBuildSchema } from "@/lib/validations/build";
import { buildSearchSchema } from "@/lib/validations/build-search";

// The API's page stays 50 builds by default, as before the builds page had filters.
const API_DEFAULT_LIMIT = 50;

export const GET = apiRoute("VIEWER", async ({ request }) => {
  // The builds page's filters (lib/validations/build-search.ts); nextCursor pages on.
  const query = buildSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return searchBuilds({ ...query, limit: query.limit ?? API_DEFAULT_LIMIT });
});

export const POST = apiRoute(
  "BUILDER",
  async ({ request }) => {
    const { variantId, builder, archiveId, ref } = startBuildSchema.parse(await readJson(request));
    return { build: await startBuild(variantId, { builder, archiveId, ref }) };
  },
  { status: 201 },
);
