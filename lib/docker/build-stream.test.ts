import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createLineSplitter,
  isDockerfileStep,
  parseBuildStream,
  parseStepStage,
  readBuildEvents,
  type BuildEvent,
  type BuildStep,
} from "@/lib/docker/build-stream";
import { createBuildkitTraceDecoder } from "@/lib/docker/buildkit-trace";

// Real response bodies of POST /build from Docker Engine 20.10 (see __fixtures__/README.md).
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "__fixtures__", `${name}.jsonl`));

const logs = (events: BuildEvent[], stream?: "stdout" | "stderr") =>
  events.flatMap((e) => (e.type === "log" && (!stream || e.stream === stream) ? [e.text] : []));
const images = (events: BuildEvent[]) => events.flatMap((e) => (e.type === "image" ? [e.imageId] : []));
const errors = (events: BuildEvent[]) => events.flatMap((e) => (e.type === "error" ? [e.message] : []));
// The last (merged) state of each step, in first-seen order.
const finalSteps = (events: BuildEvent[]): BuildStep[] => {
  const byDigest = new Map<string, BuildStep>();
  for (const e of events) if (e.type === "step") byDigest.set(e.step.digest, e.step);
  return [...byDigest.values()];
};

const chunked = async function* (bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
};
const collect = async (body: AsyncIterable<Uint8Array>) => {
  const events: BuildEvent[] = [];
  for await (const event of readBuildEvents(body)) events.push(event);
  return events;
};

describe("createLineSplitter", () => {
  it("joins a UTF-8 character split across chunks and keeps partial lines", () => {
    const bytes = Buffer.from('{"stream":"café ✓"}\r\n{"a":1}\npartial');
    const splitter = createLineSplitter();
    const lines: string[] = [];
    const cut = bytes.indexOf(Buffer.from("✓")) + 1; // inside the 3-byte sequence
    lines.push(...splitter.push(bytes.subarray(0, cut)));
    expect(lines).toEqual([]);
    lines.push(...splitter.push(bytes.subarray(cut)));
    lines.push(...splitter.flush());
    expect(lines).toEqual(['{"stream":"café ✓"}', '{"a":1}', "partial"]);
  });
});

describe("parseStepStage", () => {
  it("reads the stage name of a multi-stage step and null otherwise", () => {
    expect(parseStepStage("[builder 2/4] RUN make")).toBe("builder");
    expect(parseStepStage("[stage-1 2/2] COPY --from=builder /a /a")).toBe("stage-1");
    expect(parseStepStage("[2/3] RUN echo hi")).toBeNull();
    expect(parseStepStage("[internal] load build definition from Dockerfile")).toBeNull();
    expect(parseStepStage("exporting to image")).toBeNull();
  });
});

describe("BuildKit stream", () => {
  it("turns a successful build into merged steps with timings, per-line logs and the image id", () => {
    const events = parseBuildStream(fixture("buildkit-success"));
    const steps = finalSteps(events).filter(isDockerfileStep);

    expect(steps.map((s) => s.name)).toEqual([
      "[builder 1/3] FROM docker.io/layerboard/bookworm-base:local",
      `[builder 2/3] RUN echo "compiling café ✓" && printf 'line one\\nline two\\n' && echo "to stderr" >&2`,
      "[builder 3/3] RUN echo hello > /hello.txt",
      "[stage-1 2/2] COPY --from=builder /hello.txt /hello.txt",
    ]);
    expect(steps.map((s) => s.stage)).toEqual(["builder", "builder", "builder", "stage-1"]);
    for (const step of steps) {
      expect(step.cached).toBe(false);
      expect(step.error).toBeNull();
      expect(step.startedAt).toBeInstanceOf(Date);
      expect(step.completedAt).toBeInstanceOf(Date);
      expect(step.completedAt!.getTime()).toBeGreaterThanOrEqual(step.startedAt!.getTime());
    }
    // The RUN that prints ran for a measurable time (0.41 s in the capture).
    expect(steps[1].completedAt!.getTime() - steps[1].startedAt!.getTime()).toBe(411);
    expect(steps[1].startedAt!.toISOString()).toBe("2026-11-22T00:12:11.032Z");

    // A vertex arrives several times but each state change is emitted once.
    const runEvents = events.filter((e) => e.type === "step" && e.step.digest === steps[1].digest);
    expect(runEvents).toHaveLength(3);

    expect(logs(events, "stdout")).toEqual([
      "compiling café ✓",
      "line one",
      "line two",
      "Successfully tagged layerboard-fixture:ok",
    ]);
    expect(logs(events, "stderr")).toEqual(["to stderr"]);
    const runLog = events.find((e) => e.type === "log" && e.text === "line one");
    expect(runLog).toMatchObject({ vertex: steps[1].digest });

    expect(images(events)).toEqual(["sha256:09061a92b9ad961872dbc932e975d8b3800986928d07ba5075aec81888aca6b3"]);
    expect(errors(events)).toEqual([]);
  });

  it("marks the steps of a rebuild as cached, with started equal to completed", () => {
    const events = parseBuildStream(fixture("buildkit-cached"));
    const steps = finalSteps(events).filter(isDockerfileStep);

    expect(steps.map((s) => [s.name.slice(0, 14), s.cached])).toEqual([
      ["[builder 1/3] ", false], // FROM a local image is "resolved", never reported as cached
      ["[builder 2/3] ", true],
      ["[builder 3/3] ", true],
      ["[stage-1 2/2] ", true],
    ]);
    for (const step of steps.filter((s) => s.cached)) {
      expect(step.startedAt).toBeInstanceOf(Date);
      expect(step.completedAt!.getTime()).toBe(step.startedAt!.getTime());
    }
    expect(logs(events, "stderr")).toEqual([]);
    expect(images(events)).toEqual(["sha256:09061a92b9ad961872dbc932e975d8b3800986928d07ba5075aec81888aca6b3"]);
  });

  it("reports a failing RUN: the step error, its output and the final error", () => {
    const events = parseBuildStream(fixture("buildkit-failure"));
    const steps = finalSteps(events).filter(isDockerfileStep);
    const message = 'executor failed running [/bin/sh -c echo "about to fail" && ls /does-not-exist]: exit code: 2';

    expect(steps.map((s) => s.name)).toEqual([
      "[1/3] FROM docker.io/layerboard/bookworm-base:local",
      '[2/3] RUN echo "before failing"',
      '[3/3] RUN echo "about to fail" && ls /does-not-exist',
    ]);
    expect(steps.map((s) => s.stage)).toEqual([null, null, null]);
    expect(steps[2].error).toBe(message);
    expect(steps[2].completedAt).toBeInstanceOf(Date);
    expect(steps[1].error).toBeNull();

    expect(logs(events, "stdout")).toEqual(["before failing", "about to fail"]);
    // BuildKit sent this line in four pieces.
    expect(logs(events, "stderr")).toEqual(["ls: cannot access '/does-not-exist': No such file or directory"]);
    expect(errors(events)).toEqual([message]);
    expect(events.at(-1)).toEqual({ type: "error", message });
    expect(images(events)).toEqual([]);
  });

  // The engine relays trace messages and the final error line from two goroutines; on a busy
  // machine the status that names the failed vertex can come after the error line, or (when the
  // failed solve cancels the relay first) not at all. Both orders are made from the capture
  // above by moving or dropping its last trace line, the one that carries the vertex error.
  const failureLines = () => fixture("buildkit-failure").toString("utf8").trimEnd().split("\n");
  const failureMessage = 'executor failed running [/bin/sh -c echo "about to fail" && ls /does-not-exist]: exit code: 2';

  it("keeps the failed step's error when its status arrives after the final error line", () => {
    const lines = failureLines();
    const [errorVertexLine, errorLine] = lines.splice(-2);
    expect(errorLine).toContain("errorDetail");
    const reordered = parseBuildStream([...lines, errorLine, errorVertexLine].join("\n"));

    const steps = finalSteps(reordered).filter(isDockerfileStep);
    expect(steps.map((s) => s.error)).toEqual([null, null, failureMessage]);
    expect(steps[2].completedAt).toBeInstanceOf(Date);
    expect(finalSteps(reordered)).toEqual(finalSteps(parseBuildStream(fixture("buildkit-failure"))));
    expect(errors(reordered)).toEqual([failureMessage]);
    expect(reordered.at(-1)).toEqual({ type: "error", message: failureMessage });
  });

  it("names the step that was running when the status with its error never arrives", () => {
    const lines = failureLines();
    lines.splice(-2, 1);
    const events = parseBuildStream(lines.join("\n"));

    const steps = finalSteps(events).filter(isDockerfileStep);
    expect(steps.map((s) => s.error)).toEqual([null, null, failureMessage]);
    expect(steps[2].startedAt).toBeInstanceOf(Date);
    expect(logs(events, "stderr")).toEqual(["ls: cannot access '/does-not-exist': No such file or directory"]);
    expect(events.at(-1)).toEqual({ type: "error", message: failureMessage });
  });

  it("blames the running step whose command the error quotes, not a parallel one", () => {
    const decoder = createBuildkitTraceDecoder();
    const at = new Date("2026-12-01T21:00:00Z");
    const vertex = (digest: string, name: string) => ({
      digest, name, inputs: [], cached: false, started: at, completed: null, error: "", progressGroup: null,
    });
    decoder.push({ vertexes: [vertex("sha256:a", "[a 2/2] RUN make one"), vertex("sha256:b", "[b 2/2] RUN make two")], statuses: [], logs: [] });
    const marked = decoder.failUnfinished("executor failed running [/bin/sh -c make two]: exit code: 2");
    expect(marked.map((e) => e.type === "step" && e.step.digest)).toEqual(["sha256:b"]);
    expect(decoder.getSteps().map((s) => s.error)).toEqual([null, "executor failed running [/bin/sh -c make two]: exit code: 2"]);
    expect(decoder.failUnfinished("a second message")).toEqual([]);
  });

  it("reports the session error of a secret mount without a session", () => {
    const events = parseBuildStream(fixture("buildkit-session"));
    expect(errors(events)).toEqual(["no active sessions"]);
    const failed = finalSteps(events).find((s) => s.error);
    expect(failed?.name).toBe("[2/2] RUN --mount=type=secret,id=token,required=false cat /run/secrets/token || true");
  });
});

describe("classic stream", () => {
  it("regroups stream pieces into lines, separates stderr and finds the image id", () => {
    const events = parseBuildStream(fixture("classic-success"));
    expect(logs(events, "stdout")).toEqual([
      "Step 1/3 : FROM layerboard/bookworm-base:local",
      " ---> 226d0188aba1",
      'Step 2/3 : RUN echo "classic café ✓" && echo "classic stderr" >&2',
      " ---> Running in 794b3871d599",
      "classic café ✓",
      "Removing intermediate container 794b3871d599",
      " ---> 76b256eeae95",
      "Step 3/3 : RUN echo hi > /hi.txt",
      " ---> Running in b2a5983d4ec7",
      "Removing intermediate container b2a5983d4ec7",
      " ---> 38caa4fedfd9",
      "Successfully built 38caa4fedfd9",
      "Successfully tagged layerboard-fixture:classic",
    ]);
    expect(logs(events, "stderr")).toEqual(["classic stderr"]);
    expect(images(events)).toEqual(["sha256:38caa4fedfd98ddcadc139bb6ed62a3a487100d9cf617cbdbb0e2d0773e9a754"]);
    expect(events.some((e) => e.type === "step")).toBe(false);
  });

  it("reports a failing RUN with its stderr and the engine's message", () => {
    const events = parseBuildStream(fixture("classic-failure"));
    expect(logs(events, "stderr")).toEqual(["ls: cannot access '/does-not-exist': No such file or directory"]);
    expect(logs(events, "stdout")).toContain("about to fail");
    expect(errors(events)).toEqual([
      "The command '/bin/sh -c echo \"about to fail\" && ls /does-not-exist' returned a non-zero code: 2",
    ]);
    expect(images(events)).toEqual([]);
  });
});

describe("readBuildEvents", () => {
  it.each(["buildkit-success", "buildkit-failure", "classic-success", "classic-failure"])(
    "gives the same events for %s whatever the chunk boundaries",
    async (name) => {
      const bytes = fixture(name);
      const whole = parseBuildStream(bytes);
      for (const size of [1, 2, 3, 7, 64, 1000]) {
        expect(await collect(chunked(bytes, size))).toEqual(whole);
      }
    },
  );

  it("turns non-JSON lines into log lines instead of throwing", async () => {
    const body = Buffer.from('not json {\n{"stream":"ok\\n"}\n[1,2]\n{"aux":{"ID":"sha256:abc"}}\ntrailing');
    expect(await collect(chunked(body, 5))).toEqual([
      { type: "log", stream: "stdout", text: "not json {" },
      { type: "log", stream: "stdout", text: "ok" },
      { type: "log", stream: "stdout", text: "[1,2]" },
      { type: "image", imageId: "sha256:abc" },
      { type: "log", stream: "stdout", text: "trailing" },
    ]);
  });

  it("keeps ANSI codes in BuildKit output and skips an undecodable trace", () => {
    const events = parseBuildStream('{"id":"moby.buildkit.trace","aux":"////"}\n{"stream":"\\u001b[1mbold\\u001b[0m\\n"}\n');
    expect(events).toEqual([
      { type: "log", stream: "stderr", text: "(an undecodable BuildKit trace message was skipped)" },
      { type: "log", stream: "stdout", text: "\u001b[1mbold\u001b[0m" },
    ]);
  });
});

describe("createBuildkitTraceDecoder", () => {
  it("joins a UTF-8 character and a line split across log messages of one vertex", () => {
    const decoder = createBuildkitTraceDecoder();
    const bytes = Buffer.from("\u001b[32mcafé\u001b[0m ✓\nnext");
    const cut = bytes.indexOf(Buffer.from("é")) + 1;
    const log = (msg: Uint8Array) => ({ vertexes: [], statuses: [], logs: [{ vertex: "sha256:v", timestamp: null, stream: 1, msg }] });
    expect(decoder.push(log(bytes.subarray(0, cut)))).toEqual([]);
    expect(decoder.push(log(bytes.subarray(cut)))).toEqual([
      { type: "log", stream: "stdout", text: "\u001b[32mcafé\u001b[0m ✓", vertex: "sha256:v" },
    ]);
    expect(decoder.flush()).toEqual([{ type: "log", stream: "stdout", text: "next", vertex: "sha256:v" }]);
  });
});
