// The build state machine against the real Postgres: every transition is one conditional
// write, so an illegal one (from a finished status, or a worker's write on another worker's
// build) changes nothing, and durationMs follows one rule for every final status.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import {
  BUILD_TRANSITIONS,
  allowedFrom,
  canTransition,
  claimBuild,
  createQueuedBuild,
  failUnqueuedBuild,
  finishBuild,
  interruptBuild,
  recordBuildHeartbeats,
  requestBuildCancel,
} from "@/lib/data/build-status";
import type { BuildStatus } from "@/lib/types";

const suffix = randomBytes(3).toString("hex");
let projectId: string;
let variantId: string;

const queue = async () =>
  (await createQueuedBuild({ projectId, variantId, comparisonId: null, builder: "BUILDKIT", contextRevision: null, settings: {} })).id;

const row = (id: string) => db.build.findUniqueOrThrow({ where: { id } });

const codeOf = async (pending: Promise<unknown>) => {
  try {
    await pending;
    return null;
  } catch (error) {
    return isAppError(error) ? error.code : String(error);
  }
};

beforeAll(async () => {
  const project = await db.project.create({
    data: { slug: `status-${suffix}`, name: `status ${suffix}`, contextKind: "DIRECTORY", contextPath: "unused", variants: { create: [{ name: "default", strategy: "SINGLE_STAGE", dockerfile: "Dockerfile" }] } },
    include: { variants: true },
  });
  projectId = project.id;
  variantId = project.variants[0].id;
});

afterAll(async () => {
  await db.project.deleteMany({ where: { id: projectId } });
  await db.$disconnect();
});

describe("the transition table", () => {
  it("lets no build leave a finished status", () => {
    for (const from of ["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"] as BuildStatus[]) {
      expect(BUILD_TRANSITIONS[from]).toEqual([]);
      for (const to of Object.keys(BUILD_TRANSITIONS) as BuildStatus[]) expect(canTransition(from, to)).toBe(false);
    }
    expect(allowedFrom("RUNNING")).toEqual(["QUEUED", "RUNNING"]);
    expect(allowedFrom("SUCCEEDED")).toEqual(["RUNNING"]);
    expect(allowedFrom("CANCELLED")).toEqual(["QUEUED", "RUNNING"]);
  });
});

describe("queue and cancel", () => {
  it("cancels a queued build at once with no duration (it never started)", async () => {
    const id = await queue();
    expect(await row(id)).toMatchObject({ status: "QUEUED", startedAt: null, finishedAt: null, durationMs: null });
    expect(await requestBuildCancel(id)).toBe("CANCELLED");
    const cancelled = await row(id);
    expect(cancelled).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED", startedAt: null, durationMs: null, workerId: null });
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    expect(await claimBuild(id, "worker-a")).toBe(false);
    expect(await codeOf(requestBuildCancel(id))).toBe("CONFLICT");
  });

  it("flags a running build for its worker, whose heartbeat reports it, then finishes it with its duration", async () => {
    const id = await queue();
    expect(await claimBuild(id, "worker-a")).toBe(true);
    expect(await requestBuildCancel(id)).toBe("RUNNING");
    expect(await row(id)).toMatchObject({ status: "RUNNING", cancelRequested: true });
    expect(await recordBuildHeartbeats("worker-a", [id])).toEqual([id]);
    expect(await finishBuild(id, "CANCELLED", { code: "CANCELLED", message: "cancelled by a user" }, { workerId: "worker-a" })).toBe(true);
    const build = await row(id);
    expect(build).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED", error: "cancelled by a user" });
    expect(build.durationMs).toBe(build.finishedAt!.getTime() - build.startedAt!.getTime());
  });

  it("answers NOT_FOUND for a build that does not exist", async () => {
    expect(await codeOf(requestBuildCancel("no-such-build"))).toBe("NOT_FOUND");
  });

  it("marks a build that could not be enqueued failed, but only while it is queued", async () => {
    const id = await queue();
    expect(await failUnqueuedBuild(id, "could not enqueue: down")).toBe(true);
    expect(await row(id)).toMatchObject({ status: "FAILED", errorCode: "QUEUE_UNAVAILABLE", durationMs: null });

    const running = await queue();
    await claimBuild(running, "worker-a");
    expect(await failUnqueuedBuild(running, "late")).toBe(false);
    expect((await row(running)).status).toBe("RUNNING");
  });
});

describe("claim, heartbeat and finish", () => {
  it("claims once; the same worker may claim again, another may not", async () => {
    const id = await queue();
    expect(await claimBuild(id, "worker-a")).toBe(true);
    expect(await claimBuild(id, "worker-b")).toBe(false);
    expect(await claimBuild(id, "worker-a")).toBe(true);
    expect(await row(id)).toMatchObject({ status: "RUNNING", workerId: "worker-a" });
  });

  it("refuses SUCCEEDED → RUNNING and any move out of a finished status, changing nothing", async () => {
    const id = await queue();
    await claimBuild(id, "worker-a");
    expect(await finishBuild(id, "SUCCEEDED", null)).toBe(true);
    const before = await row(id);
    expect(before.durationMs).toBe(before.finishedAt!.getTime() - before.startedAt!.getTime());

    expect(await claimBuild(id, "worker-a")).toBe(false);
    expect(await finishBuild(id, "FAILED", { code: "INTERNAL", message: "late" })).toBe(false);
    expect(await interruptBuild(id, "worker-a", "interrupted: late")).toBe(false);
    expect(await codeOf(requestBuildCancel(id))).toBe("CONFLICT");
    expect(await recordBuildHeartbeats("worker-a", [id])).toEqual([]);
    // Asking for the move itself is a programming error, refused before any write.
    expect(await codeOf(finishBuild(id, "FAILED", null, { from: ["SUCCEEDED"] }))).toBe("INTERNAL");
    expect(await row(id)).toEqual(before);
  });

  it("never finishes a queued build SUCCEEDED", async () => {
    const id = await queue();
    expect(await finishBuild(id, "SUCCEEDED", null)).toBe(false);
    expect((await row(id)).status).toBe("QUEUED");
  });

  it("lets a worker finish or interrupt only its own build", async () => {
    const id = await queue();
    await claimBuild(id, "worker-a");
    expect(await finishBuild(id, "FAILED", { code: "INTERNAL", message: "x" }, { workerId: "worker-b" })).toBe(false);
    expect(await interruptBuild(id, "worker-b", "interrupted: x")).toBe(false);
    const heartbeatAt = (await row(id)).heartbeatAt;
    await recordBuildHeartbeats("worker-b", [id], new Date(Date.now() + 60_000));
    expect((await row(id)).heartbeatAt).toEqual(heartbeatAt);
    expect(await interruptBuild(id, "worker-a", "interrupted: its worker stopped")).toBe(true);
    const build = await row(id);
    expect(build).toMatchObject({ status: "INTERRUPTED", errorCode: "INTERRUPTED", error: "interrupted: its worker stopped" });
    expect(build.durationMs).toBe(build.finishedAt!.getTime() - build.startedAt!.getTime());
  });

  it("interrupts a build its worker took but never claimed with no duration", async () => {
    const id = await queue();
    expect(await finishBuild(id, "INTERRUPTED", { code: "INTERRUPTED", message: "interrupted: the worker shut down" })).toBe(true);
    expect(await row(id)).toMatchObject({ status: "INTERRUPTED", startedAt: null, durationMs: null });
  });

  it("lets exactly one of a racing cancel and claim win", async () => {
    for (let i = 0; i < 10; i++) {
      const id = await queue();
      const [claimed, cancel] = await Promise.all([claimBuild(id, "worker-a"), requestBuildCancel(id)]);
      const build = await row(id);
      if (claimed) expect([cancel, build.status, build.cancelRequested]).toEqual(["RUNNING", "RUNNING", true]);
      else expect([cancel, build.status, build.startedAt]).toEqual(["CANCELLED", "CANCELLED", null]);
    }
  });
});
