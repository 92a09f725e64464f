// Why an image does not run, in one line a person can act on: the loader's or the command's
// own error from the smoke run's output (not only its exit code), else the static run check
// of the image contents ("needs libexpat.so.1, which the image lacks"), else what the engine
// said. Pure: reports, the compare page and the build page share it.
import type { SmokeDto } from "@/lib/types";

const ERROR_HINT = /error|cannot|not found|no such|denied|traceback|exception|fatal|killed/i;
const MAX_REASON = 300;

export type SmokeReasonInput = Pick<SmokeDto, "runs" | "error" | "exitCode" | "timedOut" | "oomKilled" | "outputHead" | "outputTail">;

/** A content finding's title (lib/content/types.ts ContentFinding), most severe first. */
export type RunEvidence = { title: string; severity: "high" | "medium" | "low" };

const clip = (line: string) => (line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line);

/** The output line that says what went wrong; null when the output holds none. */
export const findErrorLine = (output: string): string | null => {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => ERROR_HINT.test(l)) ?? null;
};

export const describeSmokeFailure = (smoke: SmokeReasonInput | null, evidence: RunEvidence[] = []): string | null => {
  if (!smoke || smoke.runs) return null;
  if (smoke.oomKilled) return "killed: out of memory";
  if (smoke.timedOut) return "timed out before it exited";
  const output = `${smoke.outputHead}\n${smoke.outputTail}`;
  const line = findErrorLine(output);
  const exit = smoke.exitCode === null ? null : `exit code ${smoke.exitCode}`;
  if (line) return clip(exit ? `${exit}: ${line}` : line);
  const strongest = [...evidence].sort((a, b) => rank(a.severity) - rank(b.severity))[0];
  if (strongest) return clip(exit ? `${exit}: ${strongest.title}` : strongest.title);
  if (smoke.error) return clip(smoke.error);
  const last = output.split("\n").map((l) => l.trim()).filter(Boolean).at(-1);
  if (last) return clip(exit ? `${exit}: ${last}` : last);
  return exit ? `${exit}, no output` : "did not start";
};

const rank = (severity: RunEvidence["severity"]) => (severity === "high" ? 0 : severity === "medium" ? 1 : 2);
