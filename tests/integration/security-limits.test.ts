// Request body limits (issue 14): JSON bodies to route handlers stop at LAYERBOARD_MAX_JSON_BYTES
// while the stream is read (by Content-Length up front, by counting the bytes when chunked),
// answering 413 PAYLOAD_TOO_LARGE before anything is parsed. The big bodies are generated on
// the fly, chunk by chunk, so the test never holds them in memory.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as postBuild } from "@/app/api/builds/route";
import { getEnv } from "@/lib/env";
import { createToken } from "../support/pipeline";

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
let builderToken: string;

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
