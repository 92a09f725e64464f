"use server";
// Build on push (issue 15): the project's push hook (create/rotate: the secret is returned once;
// branch; delete) and its branch poll, for administrators only.
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { requireActionActor } from "@/lib/auth/session";
import { deletePushHook, deletePushPoll, updatePushHookBranch } from "@/lib/data/push-hooks";
import { configurePushPoll, rotatePushHook } from "@/lib/push/manage-push-hook";
import { idSchema } from "@/lib/validations/build";
import { pushHookBranchSchema, pushPollSchema } from "@/lib/validations/push";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};
const pathOf = (projectId: string) => `/projects/${projectId}/settings`;
const who = (actor: Awaited<ReturnType<typeof requireActionActor>>) => (actor.kind === "user" ? actor.email : actor.name);

export const rotatePushHookAction = async (_state: ActionState<{ secret: string }>, form: FormData): Promise<ActionResult<{ secret: string }>> =>
  runAction(async () => {
    const actor = await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "projectId") ?? text(form, "id"));
    const { secret } = await rotatePushHook(projectId);
    console.info(`[push] push hook secret of project ${projectId} set by ${who(actor)}`);
    revalidatePath(pathOf(projectId));
    return { secret };
  });

export const savePushHookBranchAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "projectId"));
    const { branch } = pushHookBranchSchema.parse({ branch: text(form, "branch") });
    await updatePushHookBranch(projectId, branch);
    revalidatePath(pathOf(projectId));
    return undefined;
  });

export const deletePushHookAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    const actor = await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "id"));
    await deletePushHook(projectId);
    console.info(`[push] push hook of project ${projectId} deleted by ${who(actor)}`);
    revalidatePath(pathOf(projectId));
    return undefined;
  });

export const savePushPollAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "projectId"));
    const input = pushPollSchema.parse({ branch: text(form, "branch"), intervalSeconds: text(form, "intervalSeconds"), enabled: form.get("enabled") === "on" });
    await configurePushPoll(projectId, input);
    revalidatePath(pathOf(projectId));
    return undefined;
  });

export const deletePushPollAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "id"));
    await deletePushPoll(projectId);
    revalidatePath(pathOf(projectId));
    return undefined;
  });
