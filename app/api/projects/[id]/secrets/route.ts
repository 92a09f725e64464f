// GET/PUT/DELETE /api/projects/:id/secrets: the project's build secrets (issue 17 item 6), for
// `RUN --mount=type=secret,id=NAME` in BuildKit builds. Write-only: answers list names and times.
import { apiRoute, readJson } from "@/lib/api/route";
import { listProjectSecrets, putProjectSecret, removeProjectSecret } from "@/lib/builds/manage-build-secrets";
import { idSchema } from "@/lib/validations/build";
import { buildSecretNameQuerySchema, buildSecretSchema } from "@/lib/validations/build-secrets";

export const GET = apiRoute<{ id: string }>("ADMIN", async ({ params }) => ({ secrets: await listProjectSecrets(idSchema.parse(params.id)) }));

export const PUT = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) => ({
  secrets: await putProjectSecret(idSchema.parse(params.id), buildSecretSchema.parse(await readJson(request))),
}));

export const DELETE = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) => {
  const { name } = buildSecretNameQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { secrets: await removeProjectSecret(idSchema.parse(params.id), name) };
});
