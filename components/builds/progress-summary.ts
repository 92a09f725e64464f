// What the build's progress bar says (issue 13: progress that tells the truth). Pure.
// A queued build has done nothing: an empty bar and its place in the queue. A builder-pattern
// build runs two engine builds whose steps BuildKit discovers one build at a time, so its bar
// has two halves (build image, runtime image), each filled by its own steps.
import { BUILD_IMAGE } from "@/lib/layer-images";
import type { BuildStatus, StepDto } from "@/lib/types";

export type ProgressPart = { label: string; done: number; total: number; percent: number };

export type ProgressSummary = { label: string; parts: ProgressPart[]; isEmpty: boolean };

const percentOf = (done: number, total: number) => (total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0);

const stepsLabel = (done: number, total: number) => (total > 0 ? `${done} of ${total} steps` : "not started");

export const summariseProgress = (input: {
  status: BuildStatus;
  stepsDone: number;
  stepsTotal: number;
  steps: StepDto[];
  queuePosition: number | null;
  isBuilderPattern: boolean;
}): ProgressSummary => {
  const { status, stepsDone, stepsTotal, steps, queuePosition, isBuilderPattern } = input;
  if (status === "QUEUED")
    return {
      label: queuePosition ? `Queued: ${queuePosition === 1 ? "next in the queue" : `number ${queuePosition} in the queue`}` : "Queued: waiting for a worker",
      parts: isBuilderPattern
        ? [
            { label: "build image", done: 0, total: 0, percent: 0 },
            { label: "runtime image", done: 0, total: 0, percent: 0 },
          ]
        : [{ label: "queued", done: 0, total: 0, percent: 0 }],
      isEmpty: true,
    };
  const succeeded = status === "SUCCEEDED";
  if (isBuilderPattern) {
    const count = (image: "build" | "runtime") => {
      const own = steps.filter((step) => (image === "build" ? step.image === BUILD_IMAGE : step.image !== BUILD_IMAGE));
      return { done: own.filter((step) => step.completedAt).length, total: own.length };
    };
    const build = count("build");
    const runtime = count("runtime");
    const parts = [
      { label: "build image", ...build, percent: succeeded ? 100 : percentOf(build.done, build.total) },
      { label: "runtime image", ...runtime, percent: succeeded ? 100 : percentOf(runtime.done, runtime.total) },
    ];
    return {
      label: `Build image: ${stepsLabel(build.done, build.total)} · runtime image: ${stepsLabel(runtime.done, runtime.total)}`,
      parts,
      isEmpty: build.total === 0,
    };
  }
  const isKnown = stepsTotal > 0;
  return {
    label: isKnown ? `${stepsDone} of ${stepsTotal} steps` : "No steps yet",
    parts: [{ label: "steps", done: stepsDone, total: stepsTotal, percent: percentOf(stepsDone, stepsTotal) }],
    isEmpty: !isKnown,
  };
};
