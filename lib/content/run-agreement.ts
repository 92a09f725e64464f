// Whether the static run evidence and the smoke run agree: findings that say the image
// cannot start against a smoke run that says it did, or the reverse.
import type { ContentFinding } from "@/lib/content/types";

export type RunAgreement =
  | { kind: "agree-runs" | "agree-fails" | "no-smoke" | "no-findings-yet" }
  | { kind: "findings-but-runs"; message: string }
  | { kind: "fails-without-findings"; message: string };

export const compareRunEvidence = (findings: ContentFinding[] | null, runs: boolean | null): RunAgreement => {
  if (findings === null) return { kind: "no-findings-yet" };
  if (runs === null) return { kind: "no-smoke" };
  const blocking = findings.filter((f) => f.severity === "high");
  if (blocking.length && runs)
    return {
      kind: "findings-but-runs",
      message: `The static checks found ${blocking.length} problem${blocking.length === 1 ? "" : "s"} that should stop the image from starting, but the smoke run passed: the smoke command may not reach the broken binary.`,
    };
  if (!blocking.length && !runs)
    return {
      kind: "fails-without-findings",
      message: "The smoke run failed, but the static checks found nothing that stops the image from starting: the cause is at run time (the command, its arguments, the environment or the app itself).",
    };
  return { kind: blocking.length ? "agree-fails" : "agree-runs" };
};
