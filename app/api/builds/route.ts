import { apiRoute, readJson } from "@/lib/api/route";
import { findBuilds } from "@/lib/data/builds";
import { startBuild } from "@/lib/builds/start-build";
import { buildListQuerySchema, startBuildSchema } from "@/lib/validations/build";

export const GET = apiRoute("VIEWER", async ({ request }) => {
  const query = buildListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { builds: await findBuilds(query) };
});

export const POST = apiRoute(
  "BUILDER",
  async ({ request }) => {
    const { variantId, builder } = startBuildSchema.parse(await readJson(request));
    return { build: await startBuild(variantId, { builder }) };
  },
  { status: 201 },
);
