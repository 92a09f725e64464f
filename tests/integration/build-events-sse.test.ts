// The live log over Server-Sent Events, read from Postgres by the real route handler while a
// real worker builds on the real engine: every line once, in order, live, then `end`; a
// reconnect with Last-Event-ID resumes right after that line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getEvents } from "@/app/api/builds/[id]/events/route";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { BASE_IMAGE, callRoute, createDirectoryProject, queueBuild, usePipelineRun, writeContext } from "../support/pipeline";
import { readSse, type SseEvent } from "@/lib/harness/read-sse";

const run = usePipelineRun("BUILDER");
const { root, id } = run;
const LINES = 300;
let worker: WorkerHandle;

/** Reads a whole SSE response (the handler closes it after `end`), frame by frame. */
const readEvents = async (response: Response): Promise<SseEvent[]> => {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  return readSse(response);
};

const numberedLines = (events: SseEvent[]) =>
  events.flatMap((e) => {
    const text = e.event === "log" ? (e.data as { text: string }).text : "";
    const match = /^line-(\d+)$/.exec(text);
    return match ? [Number(match[1])] : [];
  });

beforeAll(async () => {
  worker = await startWorker({ concurrency: 1 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

describe("GET /api/builds/:id/events", () => {
  let buildId: string;
  let firstPass: SseEvent[];

  it("streams every log line once, in order, while the build runs, and ends with `end`", async () => {
    const dir = writeContext(root, `sse-${id}`, {
      Dockerfile: [
        `FROM ${BASE_IMAGE}`,
        `RUN echo "sse ${id}" && for i in $(seq 1 ${LINES}); do echo line-$i; sleep 0.01; done`,
        `CMD ["true"]`,
      ].join("\n"),
    });
    const project = await createDirectoryProject(`sse-${id}`, dir, [{ name: "default" }]);
    buildId = await queueBuild(run.token, project.variants[0].id);

    const response = await callRoute(getEvents, { url: `/api/builds/${buildId}/events?from=0`, token: run.token, params: { id: buildId } });
    firstPass = await readEvents(response);

    const numbers = numberedLines(firstPass);
    expect(numbers).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
    const logIds = firstPass.filter((e) => e.event === "log").map((e) => e.id!);
    expect(logIds).toEqual(logIds.map((_, i) => i + 1)); // ids are 1..n: nothing missed, nothing twice

    const last = firstPass.at(-1)!;
    expect(last.event).toBe("end");
    expect(last.data).toEqual({ status: "SUCCEEDED" });

    // Live: the numbered lines came while the build was still running, not replayed at the end.
    const states = firstPass.filter((e) => e.event === "state").map((e) => e.data as { status: string });
    expect(states[0].status).toMatch(/QUEUED|RUNNING/);
    const finishedState = firstPass.findIndex((e) => e.event === "state" && (e.data as { status: string }).status === "SUCCEEDED");
    const firstLine = firstPass.findIndex((e) => e.event === "log" && (e.data as { text: string }).text === "line-1");
    expect(firstLine).toBeLessThan(finishedState);
    const lineTimes = firstPass.filter((e) => e.event === "log" && /^line-\d+$/.test((e.data as { text: string }).text)).map((e) => e.receivedAt);
    const spreadMs = lineTimes.at(-1)! - lineTimes[0];
    expect(spreadMs).toBeGreaterThan(1000);
    console.info(`SSE: ${logIds.length} log events, ${LINES} numbered lines received over ${spreadMs} ms`);
    run.images.push((await db.build.findUniqueOrThrow({ where: { id: buildId } })).imageTag);
  });

  it("resumes after Last-Event-ID without duplicates", async () => {
    const middle = firstPass.find((e) => e.event === "log" && (e.data as { text: string }).text === "line-150")!;
    expect(middle.id).toBeGreaterThan(0);

    const response = await callRoute(getEvents, {
      url: `/api/builds/${buildId}/events`,
      token: run.token,
      params: { id: buildId },
      headers: { "last-event-id": String(middle.id) },
    });
    const replay = await readEvents(response);
    const logs = replay.filter((e) => e.event === "log");
    const expectedIds = firstPass.filter((e) => e.event === "log" && e.id! > middle.id!).map((e) => e.id);
    expect(logs.map((e) => e.id)).toEqual(expectedIds);
    expect(numberedLines(replay)).toEqual(Array.from({ length: LINES - 150 }, (_, i) => i + 151));
    expect(replay.at(-1)).toMatchObject({ event: "end", data: { status: "SUCCEEDED" } });
  });
});
