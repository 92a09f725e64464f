import { apiRoute, errorResponse } from "@/lib/api/route";
import { streamBuildEvents } from "@/lib/builds/build-events";
import { acquireStreamSlot, STREAM_RETRY_AFTER_S, streamActorKey } from "@/lib/builds/stream-slots";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/validations/build";
import { z } from "zod";

export const dynamic = "force-dynamic";

const tailSchema = z.coerce.number({ error: "tail: a number of lines" }).int("tail: a whole number of lines").min(1, "tail: at least 1 line").max(10_000, "tail: at most 10000 lines");

// Where a stream starts: after Last-Event-ID (EventSource reconnects) or `?after=`; else with
// `?tail=N` at the last N stored lines; else (the build page's first request: its log view is
// built from the stream alone) from the first line: a replay that LAYERBOARD_MAX_LOG_BYTES
// bounds, since the stored log is truncated there. Open streams are
// bounded per user/token and in total (lib/builds/stream-slots.ts): 429 with Retry-After beyond.
export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params, actor }) => {
  const id = idSchema.parse(params.id);
  const header = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  const after = Number.parseInt(header ?? "0", 10);
  const tailParam = new URL(request.url).searchParams.get("tail");
  const tail = tailParam === null ? undefined : tailSchema.parse(tailParam);
  const slot = acquireStreamSlot(streamActorKey(actor));
  if ("refused" in slot) {
    const { scope, limit } = slot.refused;
    const response = errorResponse(
      new AppError(
        "RATE_LIMITED",
        scope === "actor"
          ? `too many live streams open for you (${limit}, LAYERBOARD_MAX_STREAMS_PER_ACTOR): close one and retry in ${STREAM_RETRY_AFTER_S} s`
          : `too many live streams open on this server (${limit}, LAYERBOARD_MAX_STREAMS): retry in ${STREAM_RETRY_AFTER_S} s`,
      ),
    );
    response.headers.set("retry-after", String(STREAM_RETRY_AFTER_S));
    return response;
  }
  let stream: ReadableStream<Uint8Array>;
  try {
    stream = await streamBuildEvents(id, Number.isFinite(after) && after > 0 ? after : 0, request.signal, { tail, onClose: slot.release });
  } catch (error) {
    slot.release();
    throw error;
  }
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});
