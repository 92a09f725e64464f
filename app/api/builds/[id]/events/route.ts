import { apiRoute, errorResponse } from "@/lib/api/route";
import { streamBuildEvents, type StreamStart } from "@/lib/builds/build-events";
import { acquireStreamSlot, STREAM_RETRY_AFTER_S, streamActorKey } from "@/lib/builds/stream-slots";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/validations/build";
import { z } from "zod";

export const dynamic = "force-dynamic";

const tailSchema = z.coerce.number({ error: "tail: a number of lines" }).int("tail: a whole number of lines").min(0, "tail: at least 0 lines").max(10_000, "tail: at most 10000 lines");
const seqSchema = (name: string) => z.coerce.number({ error: `${name}: a line number` }).int(`${name}: a whole line number`).min(0, `${name}: at least 0`);

// Where a stream starts: after Last-Event-ID (EventSource reconnects), else after `?after=N`
// or `?from=N` (`?from=0`: the whole stored log, what the build page asks for; bounded by
// LAYERBOARD_MAX_LOG_BYTES, since the stored log is truncated there), else at the last
// `?tail=N` lines, else at the last LAYERBOARD_STREAM_TAIL_LINES lines. Open streams are
// bounded per user/token and in total (lib/builds/stream-slots.ts): 429 with Retry-After beyond.
export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params, actor }) => {
  const id = idSchema.parse(params.id);
  const query = new URL(request.url).searchParams;
  const lastEventId = request.headers.get("last-event-id");
  const after = lastEventId ?? query.get("after") ?? query.get("from");
  const tail = query.get("tail");
  const start: StreamStart =
    after !== null
      ? { after: seqSchema(lastEventId !== null ? "Last-Event-ID" : query.has("after") ? "after" : "from").parse(after) }
      : { tail: tail === null ? getEnv().LAYERBOARD_STREAM_TAIL_LINES : tailSchema.parse(tail) };
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
    stream = await streamBuildEvents(id, start, request.signal, { onClose: slot.release });
  } catch (error) {
    slot.release();
    throw error;
  }
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});
