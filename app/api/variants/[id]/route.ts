// GET a variant (?dependents=1: with what a delete would remove); PATCH edits any field of the
// variant form (a field left out keeps its value, null clears it) or archives it
// ({archived: true}); DELETE removes it with its builds. Builds keep their frozen settings.
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/route";
import { getVariant } from "@/lib/data/projects";
import { countVariantDependents } from "@/lib/data/manage-projects";
import { removeVariant, saveVariantChanges } from "@/lib/builds/manage-projects";
import { idSchema } from "@/lib/validations/build";
import { variantUpdateSchema } from "@/lib/validations/manage";

const querySchema = z.object({ dependents: z.enum(["0", "1"]).optional() });

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const variant = await getVariant(idSchema.parse(params.id));
  return query.dependents === "1" ? { variant, dependents: await countVariantDependents(variant.id) } : { variant };
});

// Unknown fields are refused, not ignored; the field rules are the variant form's.
export const PATCH = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  return { variant: await saveVariantChanges(id, variantUpdateSchema.parse(await readJson(request))) };
});

export const DELETE = apiRoute<{ id: string }>("ADMIN", async ({ params }) => removeVariant(idSchema.parse(params.id)));
