// Turns BuildKit trace messages (decoded StatusResponse) into merged build steps and log lines.
import "server-only";
import type { StatusResponse, StatusVertex } from "@/lib/docker/buildkit-status";
import type { StepFields } from "@/lib/types";

export type BuildStep = StepFields<Date>;

export type BuildLogStream = "stdout" | "stderr";

export type TraceEvent =
  | { type: "step"; step: BuildStep }
  // `vertex` is the digest of the step that printed the line.
  | { type: "log"; stream: BuildLogStream; text: string; vertex?: string };

// `[builder 2/4] RUN …` → "builder"; `[stage-1 2/2] COPY …` → "stage-1"; `[2/3] RUN …` (a
// single unnamed stage) and `[internal] …` → null.
export const parseStepStage = (name: string): string | null => /^\[([^\]\s]+) \d+\/\d+\]/.exec(name)?.[1] ?? null;

// True for the vertexes that are Dockerfile instructions (`[2/3] RUN …`), false for BuildKit's
// own work (`[internal] load …`, `copy /context /`, `exporting to image`).
export const isDockerfileStep = (step: Pick<BuildStep, "name">): boolean =>
  /^\[(?:[^\]\s]+ )?\d+\/\d+\]/.test(step.name);

// `[builder 2/4] RUN make -j2` → "make -j2": the text an executor error message quotes.
const stepCommand = (name: string): string => name.replace(/^\[[^\]]*\]\s*(?:RUN\s+)?/, "");

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

const isSameStep = (a: BuildStep, b: BuildStep) =>
  a.name === b.name &&
  a.stage === b.stage &&
  a.cached === b.cached &&
  a.error === b.error &&
  sameTime(a.startedAt, b.startedAt) &&
  sameTime(a.completedAt, b.completedAt);

// A vertex arrives several times (announced, started, completed; sometimes restarted). Each
// message that carries a timestamp is a full snapshot of the vertex, as BuildKit's own progress
// UI treats it, so it replaces the timings; a bare announcement keeps what was known.
const mergeVertex = (previous: BuildStep | undefined, vertex: StatusVertex): BuildStep => {
  const name = vertex.name || previous?.name || "";
  const hasProgress = vertex.started !== null || vertex.completed !== null;
  return {
    digest: vertex.digest,
    name,
    stage: parseStepStage(name),
    startedAt: hasProgress ? vertex.started : (previous?.startedAt ?? null),
    completedAt: hasProgress ? vertex.completed : (previous?.completedAt ?? null),
    cached: hasProgress ? vertex.cached : (previous?.cached ?? false) || vertex.cached,
    error: vertex.error || previous?.error || null,
  };
};

type LogBuffer = { decoder: TextDecoder; pending: string; vertex: string; stream: BuildLogStream };

// Stateful: keeps the merged step per digest and, per vertex and stream, the bytes of a line
// not yet ended (BuildKit cuts process output anywhere, even inside a UTF-8 sequence).
export const createBuildkitTraceDecoder = () => {
  const steps = new Map<string, BuildStep>();
  const buffers = new Map<string, LogBuffer>();

  const takeLines = (buffer: LogBuffer, text: string): TraceEvent[] => {
    const parts = (buffer.pending + text).split("\n");
    buffer.pending = parts.pop() ?? "";
    return parts.map((line) => ({
      type: "log" as const,
      stream: buffer.stream,
      text: line.endsWith("\r") ? line.slice(0, -1) : line,
      vertex: buffer.vertex,
    }));
  };

  const flushBuffer = (key: string, buffer: LogBuffer): TraceEvent[] => {
    buffers.delete(key);
    const rest = buffer.pending + buffer.decoder.decode();
    buffer.pending = "";
    return rest ? [{ type: "log", stream: buffer.stream, text: rest, vertex: buffer.vertex }] : [];
  };

  const flushVertex = (vertex: string): TraceEvent[] =>
    [...buffers.entries()].filter(([, b]) => b.vertex === vertex).flatMap(([key, b]) => flushBuffer(key, b));

  const push = (status: StatusResponse): TraceEvent[] => {
    const events: TraceEvent[] = [];
    // Logs first: BuildKit sends a vertex's output before (or with) the message completing it.
    for (const log of status.logs) {
      const stream: BuildLogStream = log.stream === 2 ? "stderr" : "stdout";
      const key = `${log.vertex}\u0000${stream}`;
      let buffer = buffers.get(key);
      if (!buffer) {
        buffer = { decoder: new TextDecoder("utf-8"), pending: "", vertex: log.vertex, stream };
        buffers.set(key, buffer);
      }
      events.push(...takeLines(buffer, buffer.decoder.decode(log.msg, { stream: true })));
    }
    for (const vertex of status.vertexes) {
      if (!vertex.digest) continue;
      const previous = steps.get(vertex.digest);
      const step = mergeVertex(previous, vertex);
      if (step.completedAt || step.error) events.push(...flushVertex(vertex.digest));
      if (previous && isSameStep(previous, step)) continue;
      steps.set(vertex.digest, step);
      events.push({ type: "step", step: { ...step } });
    }
    return events;
  };

  // Emits the unterminated last line of every stream (call at the end of the build).
  const flush = (): TraceEvent[] => [...buffers.entries()].flatMap(([key, b]) => flushBuffer(key, b));

  // The build failed with `message` but no vertex said which one: the engine (20.10) ends the
  // progress relay as soon as the solve fails, so the status naming the failed vertex can be
  // lost. The failed step is then one that started and never completed; the one whose command
  // the message quotes when several ran in parallel. Returns the steps it marked.
  const failUnfinished = (message: string): TraceEvent[] => {
    if ([...steps.values()].some((step) => step.error)) return [];
    const unfinished = [...steps.values()].filter((step) => step.startedAt && !step.completedAt);
    const quoted = unfinished.filter((step) => message.includes(stepCommand(step.name)));
    return (quoted.length ? quoted : unfinished).map((step) => {
      const failed = { ...step, error: message };
      steps.set(step.digest, failed);
      return { type: "step" as const, step: { ...failed } };
    });
  };

  // Steps in the order BuildKit first announced them.
  const getSteps = (): BuildStep[] => [...steps.values()].map((step) => ({ ...step }));

  return { push, flush, failUnfinished, getSteps };
};

export type BuildkitTraceDecoder = ReturnType<typeof createBuildkitTraceDecoder>;
