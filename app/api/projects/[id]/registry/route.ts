// GET/PUT/DELETE /api/projects/:id/registry: the project's registry target (issue 17). The
// password is write-only: answers say only whether one is set.
import { apiRoute, readJson } from "@/lib/api/route";
import { getRegistryTargetView, updateRegistryTarget } from "@/lib/builds/manage-registry";
import { idSchema } from "@/lib/validations/build";
import { registryTargetSchema } from "@/lib/validations/registry";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ params }) => ({ registry: await getRegistryTargetView(idSchema.parse(params.id)) }));

export const PUT = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) => ({
  registry: await updateRegistryTarget(idSchema.parse(params.id), registryTargetSchema.parse(await readJson(request))),
}));

export const DELETE = apiRoute<{ id: string }>("ADMIN", async ({ params }) => ({ registry: await updateRegistryTarget(idSchema.parse(params.id), null) }));
