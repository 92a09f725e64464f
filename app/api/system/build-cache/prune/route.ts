import { apiRoute, readJson } from "@/lib/api/route";
import { pruneBuildCache } from "@/lib/docker/disk-usage";
import { AppError } from "@/lib/errors";
import { z } from "zod";

const confirmSchema = z.object({ confirm: z.literal("prune-build-cache", { message: 'send { "confirm": "prune-build-cache" }' }) });

// Destructive: admin only, confirmed in the body, audited in the server log.
export const POST = apiRoute("ADMIN", async ({ request, actor }) => {
  if (!confirmSchema.safeParse(await readJson(request)).success)
    throw new AppError("VALIDATION", 'confirm: send { "confirm": "prune-build-cache" } to prune the build cache');
  const who = actor.kind === "user" ? actor.email : `token ${actor.name}`;
  console.info(`[retention] build cache prune requested by ${who}`);
  const result = await pruneBuildCache();
  console.info(`[retention] build cache pruned by ${who}: ${result.cachesDeleted} record(s), ${result.spaceReclaimedBytes} bytes`);
  return { pruned: result };
});
