import { apiRoute, readJson } from "@/lib/api/route";
import { startBackfill } from "@/lib/builds/start-backfill";
import { findBackfills } from "@/lib/data/backfills";
import { getProject } from "@/lib/data/projects";
import { idSchema } from "@/lib/validations/build";
import { backfillSchema } from "@/lib/validations/backfill";

// Issue 15: { count, branch? } → a backfill of the branch's last `count` first-parent commits.
export const POST = apiRoute<{ id: string }>(
  "BUILDER",
  async ({ request, params, actor }) => {
    const input = backfillSchema.parse(await readJson(request));
    return { backfill: await startBackfill(idSchema.parse(params.id), input, actor.kind === "user" ? actor.userId : null) };
  },
  { status: 201 },
);

// The project's latest backfills with their progress.
export const GET = apiRoute<{ id: string }>("VIEWER", async ({ params }) => {
  const project = await getProject(idSchema.parse(params.id));
  return { backfills: await findBackfills(project.id, 20) };
});
