// Reads a build's Server-Sent Events response frame by frame, as a browser's EventSource would.
import "server-only";

export type SseEvent = { id?: number; event: string; data: unknown; receivedAt: number };

/** Reads a whole SSE response (the handler closes it after `end`). */
export const readSse = async (response: Response): Promise<SseEvent[]> => {
  if (response.status !== 200) throw new Error(`SSE answered ${response.status}: ${await response.text()}`);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = new Map<string, string>();
      for (const line of frame.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        if (colon >= 0) fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ""));
      }
      if (!fields.has("event")) continue;
      events.push({
        id: fields.has("id") ? Number(fields.get("id")) : undefined,
        event: fields.get("event")!,
        data: JSON.parse(fields.get("data") ?? "null"),
        receivedAt: Date.now(),
      });
    }
  }
  if (buffer.trim()) throw new Error(`SSE stream ended mid-frame: ${buffer.slice(0, 200)}`);
  return events;
};
