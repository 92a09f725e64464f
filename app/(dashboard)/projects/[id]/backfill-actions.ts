"use server";
// Project page actions for backfills (issue 15): start one, pause / resume / cancel it.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActionActor } from "@/lib/auth/session";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { changeBackfill, startBackfill } from "@/lib/builds/start-backfill";
import { idSchema } from "@/lib/validations/build";
import { backfillChangeSchema, backfillSchema } from "@/lib/validations/backfill";

export const startBackfillAction = async (_previous: ActionState<string>, formData: FormData): Promise<ActionResult<string>> =>
  runAction(async () => {
    const projectId = idSchema.parse(formData.get("projectId"));
    const input = backfillSchema.parse({ count: formData.get("count") || undefined, branch: formData.get("branch") ?? undefined });
    const actor = await requireActionActor("BUILDER");
    const backfill = await startBackfill(projectId, input, actor.kind === "user" ? actor.userId : null);
    revalidatePath(`/projects/${projectId}`);
    return backfill.id;
  });

const changeSchema = backfillChangeSchema.extend({ backfillId: idSchema, projectId: idSchema });

export const changeBackfillAction = async (_previous: ActionState<string>, formData: FormData): Promise<ActionResult<string>> =>
  runAction(async () => {
    const { backfillId, projectId, action } = changeSchema.parse({ backfillId: formData.get("backfillId"), projectId: formData.get("projectId"), action: formData.get("action") });
    await requireActionActor("BUILDER");
    const backfill = await changeBackfill(backfillId, { action });
    revalidatePath(`/projects/${projectId}`);
    return backfill.status;
  });
