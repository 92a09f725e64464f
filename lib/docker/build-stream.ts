// Parses the body of `POST /build` (one JSON object per line, classic or BuildKit) into typed events.
import "server-only";
import { decodeStatusResponseBase64 } from "@/lib/docker/buildkit-status";
import { createBuildkitTraceDecoder, type BuildLogStream, type BuildStep } from "@/lib/docker/buildkit-trace";

export type { BuildStep, BuildLogStream } from "@/lib/docker/buildkit-trace";
export { isDockerfileStep, parseStepStage } from "@/lib/docker/buildkit-trace";

export type BuildEvent =
  // `vertex`: the BuildKit step digest that printed the line, when known. ANSI codes are kept.
  | { type: "log"; stream: BuildLogStream; text: string; vertex?: string }
  | { type: "step"; step: BuildStep }
  | { type: "image"; imageId: string }
  | { type: "error"; message: string };

// Splits a byte stream into lines. Chunks end anywhere: inside a line or inside a UTF-8
// sequence (docker-modem's followProgress gets the latter wrong), hence the streaming decoder.
export const createLineSplitter = () => {
  const decoder = new TextDecoder("utf-8");
  let pending = "";

  const cut = (text: string): string[] => {
    const parts = (pending + text).split("\n");
    pending = parts.pop() ?? "";
    return parts.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  };

  const push = (chunk: Uint8Array | string): string[] =>
    cut(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));

  const flush = (): string[] => {
    const lines = cut(decoder.decode());
    const rest = pending;
    pending = "";
    return rest ? [...lines, rest] : lines;
  };

  return { push, flush };
};

// The classic builder wraps every write of a RUN command's stderr in bright red
// (`\x1b[91m…\x1b[0m`, moby's streamformatter StderrWriter); that wrapper is framing, not
// output, so it marks the stream instead of staying in the text.
const classicStderr = /^\x1b\[91m([\s\S]*)\x1b\[0m$/;

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const parseJson = (line: string): JsonObject | null => {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
};

// Stateful: BuildKit vertexes are merged by digest, and `stream` text (which the classic
// builder sends in pieces such as "Step 1/3 : FROM x" then "\n") is regrouped into lines.
// The error line is held back until the end of the body: trace messages the engine relays
// after it still merge into the steps (the failed step's error among them), and the error
// stays the last event, after the step it explains.
export const createBuildStreamParser = () => {
  const trace = createBuildkitTraceDecoder();
  const pending: Record<BuildLogStream, string> = { stdout: "", stderr: "" };
  let failure: string | null = null;

  const takeStreamText = (stream: BuildLogStream, text: string): BuildEvent[] => {
    const parts = (pending[stream] + text).split("\n");
    pending[stream] = parts.pop() ?? "";
    return parts.map((line) => ({ type: "log", stream, text: line.endsWith("\r") ? line.slice(0, -1) : line }));
  };

  const flushStreams = (): BuildEvent[] =>
    (["stdout", "stderr"] as const).flatMap((stream) => {
      const text = pending[stream];
      pending[stream] = "";
      return text ? [{ type: "log" as const, stream, text }] : [];
    });

  // Everything still buffered; called before an image event.
  const flushBuffers = (): BuildEvent[] => [...trace.flush(), ...flushStreams()];

  // The end of the body: what is still buffered, then the held-back failure, if any.
  const flush = (): BuildEvent[] => {
    const events = flushBuffers();
    if (failure === null) return events;
    const message = failure;
    failure = null;
    return [...events, ...trace.failUnfinished(message), { type: "error", message }];
  };

  const parseLine = (line: string): BuildEvent[] => {
    if (line.trim() === "") return [];
    const message = parseJson(line);
    if (!message) return [...flushStreams(), { type: "log", stream: "stdout", text: line }];

    const errorDetail = isObject(message.errorDetail) ? message.errorDetail : null;
    if (errorDetail || typeof message.error === "string") {
      const text =
        (typeof errorDetail?.message === "string" && errorDetail.message) ||
        (typeof message.error === "string" && message.error) ||
        "build failed";
      // A second error line (never seen on 20.10) keeps the first, the cause.
      failure ??= text;
      return [];
    }

    if (message.id === "moby.buildkit.trace") {
      if (typeof message.aux !== "string") return [];
      try {
        return trace.push(decodeStatusResponseBase64(message.aux));
      } catch {
        return [{ type: "log", stream: "stderr", text: "(an undecodable BuildKit trace message was skipped)" }];
      }
    }

    // Classic: {"aux":{"ID":…}} after the last step; BuildKit: {"id":"moby.image.id","aux":{"ID":…}}.
    if (isObject(message.aux) && typeof message.aux.ID === "string") {
      return [...flushBuffers(), { type: "image", imageId: message.aux.ID }];
    }

    if (typeof message.stream === "string") {
      const stderr = classicStderr.exec(message.stream);
      return stderr ? takeStreamText("stderr", stderr[1]) : takeStreamText("stdout", message.stream);
    }

    // Pull progress and similar; progress-bar updates would flood the log.
    if (typeof message.status === "string") {
      const detail = isObject(message.progressDetail) ? message.progressDetail : null;
      if (detail && typeof detail.current === "number") return [];
      const id = typeof message.id === "string" && message.id ? `${message.id}: ` : "";
      return [...flushStreams(), { type: "log", stream: "stdout", text: `${id}${message.status}` }];
    }

    return [];
  };

  return { parseLine, flush, getSteps: trace.getSteps };
};

export type BuildStreamParser = ReturnType<typeof createBuildStreamParser>;

// Reads a whole build response body, yielding events in order.
export async function* readBuildEvents(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<BuildEvent> {
  const splitter = createLineSplitter();
  const parser = createBuildStreamParser();
  for await (const chunk of body) {
    for (const line of splitter.push(chunk)) yield* parser.parseLine(line);
  }
  for (const line of splitter.flush()) yield* parser.parseLine(line);
  yield* parser.flush();
}

// Convenience for already-buffered bodies (tests, stored raw logs).
export const parseBuildStream = (body: string | Uint8Array): BuildEvent[] => {
  const splitter = createLineSplitter();
  const parser = createBuildStreamParser();
  const lines = [...splitter.push(body), ...splitter.flush()];
  return [...lines.flatMap((line) => parser.parseLine(line)), ...parser.flush()];
};
