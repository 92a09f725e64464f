import { apiRoute } from "@/lib/api/route";
import { streamBuildEvents } from "@/lib/builds/build-events";
import { idSchema } from "@/lib/validations/build";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  const header = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  const after = Number.parseInt(header ?? "0", 10);
  const stream = await streamBuildEvents(id, Number.isFinite(after) && after > 0 ? after : 0, request.signal);
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});
