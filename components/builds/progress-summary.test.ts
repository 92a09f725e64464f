import { describe, expect, it } from "vitest";
import { summariseProgress } from "@/components/builds/progress-summary";
import type { StepDto } from "@/lib/types";

const step = (digest: string, image: string, done: boolean): StepDto => ({
  digest,
  image,
  position: 0,
  name: digest,
  stage: null,
  startedAt: "2026-12-02T04:00:00.000Z",
  completedAt: done ? "2026-12-02T04:00:01.000Z" : null,
  cached: false,
  error: null,
});

describe("summariseProgress", () => {
  it("gives a queued build its place in the queue and an empty bar", () => {
    const queued = summariseProgress({ status: "QUEUED", stepsDone: 0, stepsTotal: 0, steps: [], queuePosition: 3, isBuilderPattern: false });
    expect(queued.label).toBe("Queued: number 3 in the queue");
    expect(queued.isEmpty).toBe(true);
    expect(queued.parts.every((p) => p.percent === 0)).toBe(true);
    expect(summariseProgress({ status: "QUEUED", stepsDone: 0, stepsTotal: 0, steps: [], queuePosition: 1, isBuilderPattern: false }).label).toBe("Queued: next in the queue");
    // A queued builder-pattern build already shows both (empty) halves.
    const twoPhases = summariseProgress({ status: "QUEUED", stepsDone: 0, stepsTotal: 0, steps: [], queuePosition: 1, isBuilderPattern: true });
    expect(twoPhases.parts.map((p) => [p.label, p.percent])).toEqual([
      ["build image", 0],
      ["runtime image", 0],
    ]);
  });

  it("shows a builder-pattern build as two halves from the start, the runtime half empty until its build runs", () => {
    const steps = [step("a", "build", true), step("b", "build", false)];
    const running = summariseProgress({ status: "RUNNING", stepsDone: 1, stepsTotal: 2, steps, queuePosition: null, isBuilderPattern: true });
    expect(running.parts.map((p) => [p.label, p.percent])).toEqual([
      ["build image", 50],
      ["runtime image", 0],
    ]);
    expect(running.label).toBe("Build image: 1 of 2 steps · runtime image: not started");
    const later = summariseProgress({ status: "RUNNING", stepsDone: 3, stepsTotal: 4, steps: [step("a", "build", true), step("b", "build", true), step("c", "main", true), step("d", "main", false)], queuePosition: null, isBuilderPattern: true });
    expect(later.parts.map((p) => p.percent)).toEqual([100, 50]);
  });

  it("counts a single build's steps as before", () => {
    const single = summariseProgress({ status: "RUNNING", stepsDone: 2, stepsTotal: 8, steps: [], queuePosition: null, isBuilderPattern: false });
    expect(single).toMatchObject({ label: "2 of 8 steps", isEmpty: false });
    expect(single.parts[0].percent).toBe(25);
  });
});
