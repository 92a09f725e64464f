import { apiRoute } from "@/lib/api/route";
import { runRetention } from "@/lib/builds/retention/run-retention";
import { RETENTION_QUEUE, getQueue } from "@/lib/builds/queue";
import { AppError } from "@/lib/errors";

// GET: the dry run (exactly what the job would remove now, on this process's engine).
export const GET = apiRoute("ADMIN", async () => ({ retention: await runRetention({ dryRun: true }) }));

// POST: run the job now, on a worker (202: queued).
export const POST = apiRoute(
  "ADMIN",
  async ({ actor }) => {
    const boss = await getQueue().catch((error: Error) => {
      throw new AppError("QUEUE_UNAVAILABLE", `the queue is unavailable: ${error.message}`);
    });
    const jobId = await boss.send(RETENTION_QUEUE, {}, { singletonKey: "retention-now" });
    console.info(`[retention] run requested by ${actor.kind === "user" ? actor.email : `token ${actor.name}`} (job ${jobId ?? "already queued"})`);
    return { queued: true };
  },
  { status: 202 },
);
