// Request body limits (issue 14): JSON bodies to route handlers stop at LAYERBOARD_MAX_JSON_BYTES
// while the stream is read (by Content-Length up front, by counting the bytes when chunked),
// answering 413 PAYLOAD_TOO_LARGE before anything is parsed. The big bodies are generated on
// the fly, chunk by chunk, so the test never holds them in memory.
//
// Live streams (GET /api/builds/:id/events): at most LAYERBOARD_MAX_STREAMS_PER_ACTOR open per
// user or token (and LAYERBOARD_MAX_STREAMS in total); beyond it 429 with Retry-After, and
// closing a stream frees its slot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postBuild } from "@/app/api/builds/route";
import { GET as getEvents } from "@/app/api/builds/[id]/events/route";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { readSse } from "@/lib/harness/read-sse";
import { createDirectoryProject, createToken, usePipelineRun } from "../support/pipeline";

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
let builderToken: string;
const viewerRun = usePipelineRun("VIEWER");

beforeAll(async () => {
  builderToken = await createToken("BUILDER");
});

/** A JSON-looking body of `total` bytes, produced chunk by chunk as the reader pulls; `pulled()` counts what was handed out. */
const generatedBody = (total: number) => {
  let sent = 0;
  const filler = new TextEncoder().encode("x".repeat(CHUNK));
  const head = new TextEncoder().encode('{"variantId":"nonexistent","pad":"');
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = sent === 0 ? head : filler.subarray(0, Math.min(CHUNK, total - sent));
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
};

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  postBuild(
    new Request("http://localhost/api/builds", {
      method: "POST",
      headers: { authorization: `Bearer ${builderToken}`, "content-type": "application/json", ...headers },
      body,
      // @ts-expect-error -- Node needs `duplex` for a streamed request body; the DOM types lack it.
      duplex: "half",
    }),
    { params: Promise.resolve({}) },
  );

const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string; issues?: { path: string }[] } }).error;

describe("JSON body limit (LAYERBOARD_MAX_JSON_BYTES)", () => {
  it("is 1 MiB by default", () => {
    expect(getEnv().LAYERBOARD_MAX_JSON_BYTES).toBe(MB);
  });

  it("refuses a streamed 200 MB body with 413 quickly, reading little of it and without growing the RSS", async () => {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const body = generatedBody(200 * MB);
    const started = Date.now();
    const response = await post(body.stream);
    const elapsed = Date.now() - started;

    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toContain("LAYERBOARD_MAX_JSON_BYTES");
    expect(elapsed).toBeLessThan(5_000);
    // Reading stopped just past the limit (plus what the stream had queued), not at 200 MB.
    expect(body.pulled()).toBeLessThan(4 * MB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * MB);
  });

  it("refuses by Content-Length before reading a byte", async () => {
    const body = generatedBody(200 * MB);
    const response = await post(body.stream, { "content-length": String(200 * MB) });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
  });

  it("refuses a chunked body (no Content-Length) just over the limit", async () => {
    const body = generatedBody(MB + 1);
    const response = await post(body.stream);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("parses a body just under the limit (and validates it: an empty variantId is refused in words)", async () => {
    const prefix = '{"variantId":"","pad":"';
    const json = `${prefix}${"x".repeat(MB - prefix.length - 2 - 16)}"}`;
    expect(Buffer.byteLength(json)).toBeLessThan(MB);
    const response = await post(json);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("VALIDATION");
    expect(JSON.stringify(error)).toContain("variantId");
  });

  it("still answers a non-JSON body under the limit with a 400 in words", async () => {
    const response = await post("not json");
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain("expected a JSON object");
  });
});

describe("live stream limits (LAYERBOARD_MAX_STREAMS_PER_ACTOR)", () => {
  let buildId: string;
  let projectId: string;
  const opened: AbortController[] = [];

  beforeAll(async () => {
    // A RUNNING build that nobody runs: its stream stays open until the client leaves.
    const project = await createDirectoryProject(`streams-${viewerRun.id}`, viewerRun.root, [{ name: "default" }]);
    projectId = project.id;
    const build = await db.build.create({ data: { projectId, variantId: project.variants[0].id, status: "RUNNING", startedAt: new Date() } });
    buildId = build.id;
  });

  afterAll(async () => {
    for (const controller of opened) controller.abort();
    await db.project.delete({ where: { id: projectId } }).catch(() => undefined);
  });

  const open = async (token: string) => {
    const controller = new AbortController();
    opened.push(controller);
    const response = await callEvents(token, controller.signal);
    return { response, controller };
  };
  const callEvents = (token: string, signal: AbortSignal) =>
    getEvents(new Request(`http://localhost/api/builds/${buildId}/events`, { headers: { authorization: `Bearer ${token}` }, signal }), {
      params: Promise.resolve({ id: buildId }),
    });

  it("refuses streams past the per-actor limit with 429 and Retry-After; closing one frees a slot; others are not affected", async () => {
    const limit = getEnv().LAYERBOARD_MAX_STREAMS_PER_ACTOR;
    expect(limit).toBe(8);
    const streams = [];
    for (let i = 0; i < limit; i++) streams.push(await open(viewerRun.token));
    expect(streams.map((s) => s.response.status)).toEqual(Array(limit).fill(200));

    const extra = await open(viewerRun.token);
    expect(extra.response.status).toBe(429);
    expect(Number(extra.response.headers.get("retry-after"))).toBeGreaterThan(0);
    const error = ((await extra.response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.message).toContain("LAYERBOARD_MAX_STREAMS_PER_ACTOR");

    // Another token has its own slots.
    const other = await open(await createToken("VIEWER"));
    expect(other.response.status).toBe(200);
    await other.response.body!.cancel();

    // The client cancels its reader: the slot is free again at once.
    await streams[0].response.body!.cancel();
    const again = await open(viewerRun.token);
    expect(again.response.status).toBe(200);
    expect((await open(viewerRun.token)).response.status).toBe(429);

    // The client goes away (request aborted): freed once the stream notices (it polls every 400 ms).
    streams[1].controller.abort();
    let status = 429;
    for (let attempt = 0; attempt < 20 && status === 429; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const next = await open(viewerRun.token);
      status = next.response.status;
    }
    expect(status).toBe(200);
  });

  it("a stream of a build that does not exist takes no slot", async () => {
    const token = await createToken("VIEWER");
    const limit = getEnv().LAYERBOARD_MAX_STREAMS_PER_ACTOR;
    for (let i = 0; i <= limit; i++) {
      const response = await getEvents(new Request("http://localhost/api/builds/nonexistent/events", { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({ id: "nonexistent" }),
      });
      expect(response.status).toBe(404);
    }
  });
});

describe("where a live stream starts", () => {
  let buildId: string;
  let projectId: string;
  // A token of its own: the streams the limit tests above aborted give their slots back only
  // when each notices (up to a poll later), which may be after this describe starts.
  let token: string;
  const LINES = 50;

  beforeAll(async () => {
    token = await createToken("VIEWER");
    const project = await createDirectoryProject(`tail-${viewerRun.id}`, viewerRun.root, [{ name: "default" }]);
    projectId = project.id;
    const build = await db.build.create({
      data: { projectId, variantId: project.variants[0].id, status: "SUCCEEDED", startedAt: new Date(), finishedAt: new Date(), logLines: LINES },
    });
    buildId = build.id;
    await db.logLine.createMany({ data: Array.from({ length: LINES }, (_, i) => ({ buildId, seq: i + 1, text: `line-${i + 1}` })) });
  });

  afterAll(async () => {
    await db.project.delete({ where: { id: projectId } }).catch(() => undefined);
  });

  const logIds = async (query: string, headers: Record<string, string> = {}) => {
    const response = await getEvents(
      new Request(`http://localhost/api/builds/${buildId}/events${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } }),
      { params: Promise.resolve({ id: buildId }) },
    );
    expect(response.status).toBe(200);
    const events = await readSse(response);
    expect(events.at(-1)?.event).toBe("end");
    return events.filter((e) => e.event === "log").map((e) => e.id);
  };

  it("replays the whole (LAYERBOARD_MAX_LOG_BYTES-bounded) log with ?from=0: the build page builds its log view from it", async () => {
    expect(await logIds("?from=0")).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
  });

  it("starts at the last N lines with ?tail=N", async () => {
    expect(await logIds("?tail=5")).toEqual([46, 47, 48, 49, 50]);
    expect(await logIds(`?tail=${LINES * 2}`)).toHaveLength(LINES);
  });

  it("resumes after Last-Event-ID, which wins over ?tail", async () => {
    expect(await logIds("?tail=5", { "last-event-id": "40" })).toEqual(Array.from({ length: 10 }, (_, i) => i + 41));
  });

  it("refuses a bad ?tail in words", async () => {
    const response = await getEvents(
      new Request(`http://localhost/api/builds/${buildId}/events?tail=-3`, { headers: { authorization: `Bearer ${viewerRun.token}` } }),
      { params: Promise.resolve({ id: buildId }) },
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("tail");
  });
});
