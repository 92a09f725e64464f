"use server";
// Settings mutations for retention and the engine's disk (issue 12): administrators only, each
// destructive one confirmed in the UI and audited in the server log.
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { requireActionActor } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { runRetention, type RetentionReport } from "@/lib/builds/retention/run-retention";
import { RETENTION_QUEUE, getQueue } from "@/lib/builds/queue";
import { pruneBuildCache } from "@/lib/docker/disk-usage";

const who = (actor: Actor) => (actor.kind === "user" ? actor.email : `token ${actor.name}`);

export const retentionDryRunAction = async (_state: ActionState<RetentionReport>, _form: FormData): Promise<ActionResult<RetentionReport>> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    return runRetention({ dryRun: true });
  });

export const runRetentionNowAction = async (_state: ActionState, _form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    const actor = await requireActionActor("ADMIN");
    const boss = await getQueue().catch((error: Error) => {
      throw new AppError("QUEUE_UNAVAILABLE", `the queue is unavailable: ${error.message}`);
    });
    await boss.send(RETENTION_QUEUE, {}, { singletonKey: "retention-now" });
    console.info(`[retention] run requested by ${who(actor)}`);
    return undefined;
  });

export const pruneBuildCacheAction = async (_state: ActionState, _form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    const actor = await requireActionActor("ADMIN");
    console.info(`[retention] build cache prune requested by ${who(actor)}`);
    const result = await pruneBuildCache();
    console.info(`[retention] build cache pruned by ${who(actor)}: ${result.cachesDeleted} record(s), ${result.spaceReclaimedBytes} bytes`);
    revalidatePath("/settings");
    return undefined;
  });
