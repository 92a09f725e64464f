import { apiRoute, readJson } from "@/lib/api/route";
import { changeBackfill } from "@/lib/builds/start-backfill";
import { getBackfill } from "@/lib/data/backfills";
import { idSchema } from "@/lib/validations/build";
import { backfillChangeSchema } from "@/lib/validations/backfill";

// Issue 15: a backfill with its progress and every item (commit × variant → build, skipped, error).
export const GET = apiRoute<{ id: string }>("VIEWER", async ({ params }) => ({ backfill: await getBackfill(idSchema.parse(params.id)) }));

// { action: "pause" | "resume" | "cancel" }; 409 when the backfill's status does not allow it.
export const PATCH = apiRoute<{ id: string }>("BUILDER", async ({ request, params }) => {
  const change = backfillChangeSchema.parse(await readJson(request));
  return { backfill: await changeBackfill(idSchema.parse(params.id), change) };
});
