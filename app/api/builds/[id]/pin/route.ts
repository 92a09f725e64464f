import { apiRoute, readJson } from "@/lib/api/route";
import { updateBuildPin } from "@/lib/data/retention";
import { idSchema } from "@/lib/validations/build";
import { pinBuildSchema } from "@/lib/validations/retention";

// { pinned: true } keeps the build's image through retention; { pinned: false } lets it go.
export const POST = apiRoute<{ id: string }>("BUILDER", async ({ request, params, actor }) => {
  const id = idSchema.parse(params.id);
  const { pinned } = pinBuildSchema.parse(await readJson(request));
  const by = actor.kind === "user" ? actor.email : `token ${actor.name}`;
  const pin = await updateBuildPin(id, pinned, by);
  console.info(`[retention] build ${id} ${pinned ? "pinned" : "unpinned"} by ${by}`);
  return { build: { id, ...pin } };
});
