// What a person should do about a build that did not end well: one sentence naming what went
// wrong (the failing step, the refused context, the cancel) and the way on. Pure: the build
// page shows it, tests check it.
export type NextStepInput = {
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "INTERRUPTED";
  errorCode: string | null;
  error: string | null;
  steps: { name: string; error: string | null; position: number }[];
  runs: boolean | null;
  smokeReason: string | null;
};

export type NextStep = {
  /** what happened, in words */
  title: string;
  /** what to do */
  action: string;
  /** the failing step's position, for a link to its log lines */
  stepPosition: number | null;
};

const firstLine = (text: string | null, max = 200) => {
  const line = (text ?? "").split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

// BuildKit names steps "[stage 3/7] RUN pip install …"; the instruction is what a person wrote.
const instructionOf = (stepName: string) => stepName.replace(/^\[[^\]]*\]\s*/, "").trim() || stepName;

export const describeNextStep = (build: NextStepInput): NextStep | null => {
  if (build.status === "SUCCEEDED") {
    if (build.runs !== false) return null;
    return {
      title: `The image builds but does not run${build.smokeReason ? `: ${firstLine(build.smokeReason)}` : ""}`,
      action: "Fix what the smoke run reports (a missing library or file, a wrong command), then Re-run.",
      stepPosition: null,
    };
  }
  if (build.status === "CANCELLED")
    return { title: `${firstLine(build.error) || "Cancelled"}`.replace(/^cancelled/i, "Cancelled"), action: "Re-run builds it again with the same settings.", stepPosition: null };
  if (build.status === "INTERRUPTED")
    return {
      title: `Interrupted: ${firstLine(build.error) || "its worker stopped before the build finished"}`,
      action: "Nothing was wrong with the build itself: Re-run it.",
      stepPosition: null,
    };
  if (build.status !== "FAILED") return null;
  const failed = [...build.steps].sort((a, b) => a.position - b.position).find((step) => step.error);
  if (failed)
    return {
      title: `The step \`${firstLine(instructionOf(failed.name), 120)}\` failed${failed.error ? `: ${firstLine(failed.error)}` : ""}`,
      action: "See its log lines below, fix the Dockerfile or the context, then Re-run.",
      stepPosition: failed.position,
    };
  switch (build.errorCode) {
    case "ENGINE_UNAVAILABLE":
      return { title: "The Docker engine could not be reached", action: "Check the worker's DOCKER_HOST and that the engine is running, then Re-run.", stepPosition: null };
    case "CONTEXT_REFUSED":
      return { title: `The build context could not be opened: ${firstLine(build.error)}`, action: "Fix the project's context (path, git URL and ref, or upload), then Re-run.", stepPosition: null };
    case "QUEUE_UNAVAILABLE":
      return { title: "The build could not be queued", action: "Re-run once the database and its queue answer again.", stepPosition: null };
    case "SESSION_REQUIRED":
      return { title: "This build needs a BuildKit session feature Layerboard does not serve (SSH agent forwarding)", action: "Remove the SSH mount or rebuild it with the classic builder (below).", stepPosition: null };
    default:
      return { title: `The build failed${build.error ? `: ${firstLine(build.error)}` : ""}`, action: "See the log below for the first error, then Re-run.", stepPosition: null };
  }
};
