"use server";
// Build page mutations: pin or unpin a build (builders and admins): a pinned build keeps its image.
// Re-run: the same variant, frozen settings and context revision again (lib/builds/start-build.ts).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { rerunBuild } from "@/lib/builds/start-build";
import { z } from "zod";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { requireActionActor } from "@/lib/auth/session";
import { updateBuildPin } from "@/lib/data/retention";
import { idSchema } from "@/lib/validations/build";

const pinFormSchema = z.object({ id: idSchema, pinned: z.enum(["true", "false"]) });

export const pinBuildAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    const actor = await requireActionActor("BUILDER");
    const { id, pinned } = pinFormSchema.parse({ id: form.get("id"), pinned: form.get("pinned") });
    const by = actor.kind === "user" ? actor.email : `token ${actor.name}`;
    await updateBuildPin(id, pinned === "true", by);
    console.info(`[retention] build ${id} ${pinned === "true" ? "pinned" : "unpinned"} by ${by}`);
    revalidatePath(`/builds/${id}`);
    return undefined;
  });

const rerunFormSchema = z.object({ id: idSchema });

export const rerunBuildAction = async (_state: ActionState<string>, form: FormData): Promise<ActionResult<string>> => {
  const result = await runAction(async () => {
    await requireActionActor("BUILDER");
    const { id } = rerunFormSchema.parse({ id: form.get("id") });
    const build = await rerunBuild(id);
    revalidatePath(`/projects/${build.projectId}`);
    return build.id;
  });
  if (result.ok) redirect(`/builds/${result.data}`);
  return result;
};
