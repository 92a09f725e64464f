// GET/PUT/DELETE /api/variants/:id/secrets: a variant's own build secrets (issue 17 item 6); one
// overrides the project's secret of the same name. Write-only: answers list names and times.
import { apiRoute, readJson } from "@/lib/api/route";
import { listVariantSecrets, putVariantSecret, removeVariantSecret } from "@/lib/builds/manage-build-secrets";
import { idSchema } from "@/lib/validations/build";
import { buildSecretNameQuerySchema, buildSecretSchema } from "@/lib/validations/build-secrets";

export const GET = apiRoute<{ id: string }>("ADMIN", async ({ params }) => listVariantSecrets(idSchema.parse(params.id)));

export const PUT = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) =>
  putVariantSecret(idSchema.parse(params.id), buildSecretSchema.parse(await readJson(request))),
);

export const DELETE = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) => {
  const { name } = buildSecretNameQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return removeVariantSecret(idSchema.parse(params.id), name);
});
