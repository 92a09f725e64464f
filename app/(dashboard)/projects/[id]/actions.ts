"use server";
// Project page actions: compare all variants, build one variant.
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActionActor } from "@/lib/auth/session";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { startComparison } from "@/lib/builds/start-comparison";
import { startBuild } from "@/lib/builds/start-build";
import { idSchema } from "@/lib/validations/build";

const compareAllSchema = z.object({ projectId: idSchema });
const buildVariantSchema = z.object({ variantId: idSchema, projectId: idSchema });

export const compareAllAction = async (_previous: ActionState<string>, formData: FormData): Promise<ActionResult<string>> => {
  const result = await runAction(async () => {
    const { projectId } = compareAllSchema.parse({ projectId: formData.get("projectId") });
    await requireActionActor("BUILDER");
    const comparison = await startComparison(projectId);
    revalidatePath(`/projects/${projectId}`);
    return comparison.id;
  });
  // Outside runAction: redirect() works by throwing.
  if (result.ok) redirect(`/compare?comparison=${result.data}`);
  return result;
};

export const buildVariantAction = async (_previous: ActionState<string>, formData: FormData): Promise<ActionResult<string>> => {
  const result = await runAction(async () => {
    const { variantId, projectId } = buildVariantSchema.parse({ variantId: formData.get("variantId"), projectId: formData.get("projectId") });
    await requireActionActor("BUILDER");
    const build = await startBuild(variantId);
    revalidatePath(`/projects/${projectId}`);
    return build.id;
  });
  if (result.ok) redirect(`/builds/${result.data}`);
  return result;
};
