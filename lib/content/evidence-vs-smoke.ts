// Puts the static run evidence beside the smoke run's result and says whether they agree, so
// the build page can show both and point out a disagreement (issue 11, deliverable 3). Pure.
import type { ContentFinding } from "@/lib/content/types";

export type SmokeOutcome = { runs: boolean; exitCode: number | null; timedOut?: boolean; output?: string };

export type EvidenceVerdict =
  /** Both say it starts. */
  | "agree-runs"
  /** Both say it does not start; `confirmed` lists the findings the smoke output names. */
  | "agree-fails"
  /** The static evidence predicts a failure the smoke run did not show (a code path not taken, or a smoke command other than the CMD). */
  | "static-only"
  /** The smoke run failed for a reason the static evidence does not see (the program's own error, a missing Python module…). */
  | "smoke-only"
  /** No smoke run recorded: the static evidence stands alone. */
  | "no-smoke";

export type EvidenceComparison = { verdict: EvidenceVerdict; message: string; confirmed: ContentFinding[] };

const BLOCKING: ReadonlySet<ContentFinding["kind"]> = new Set(["missing-library", "missing-interpreter", "entrypoint-not-found"]);

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);

export const compareWithSmoke = (findings: ContentFinding[], smoke: SmokeOutcome | null): EvidenceComparison => {
  // Dangling symlinks alone may be harmless (an unused alternative); they count only when the entrypoint goes through one.
  const blocking = findings.filter((finding) => BLOCKING.has(finding.kind) && finding.severity === "high");
  if (!smoke) {
    return {
      verdict: "no-smoke",
      message: blocking.length ? `No smoke run; the static evidence predicts the image does not start (${blocking.length} findings).` : "No smoke run; the static evidence finds nothing that stops the image starting.",
      confirmed: [],
    };
  }
  const output = smoke.output ?? "";
  const confirmed = findings.filter((finding) => output.includes(finding.evidence.missing) || output.includes(basename(finding.evidence.missing)));
  if (smoke.runs) {
    return blocking.length
      ? {
          verdict: "static-only",
          message: `The smoke run started the image, but the static evidence names ${blocking.length} missing files: a code path the smoke run did not take (or a smoke command other than the image's CMD) would fail.`,
          confirmed,
        }
      : { verdict: "agree-runs", message: "The smoke run and the static evidence agree: the image starts.", confirmed };
  }
  if (blocking.length || confirmed.length) {
    return {
      verdict: "agree-fails",
      message:
        `The smoke run failed${smoke.exitCode !== null ? ` (exit ${smoke.exitCode})` : ""} and the static evidence explains why` +
        (confirmed.length ? `: the output names ${[...new Set(confirmed.map((f) => basename(f.evidence.missing)))].join(", ")}.` : "."),
      confirmed,
    };
  }
  return {
    verdict: "smoke-only",
    message: smoke.timedOut
      ? "The smoke run timed out; the static evidence finds nothing missing (the program itself may hang or wait for input)."
      : "The smoke run failed, but the static evidence finds nothing missing: the program's own error (see its output), not the image's files.",
    confirmed,
  };
};
