// The one line that says why an image does not start, for a compare row.
import type { SmokeDto } from "@/lib/types";

const ERROR_HINT = /error|cannot|not found|no such|denied|traceback|exception|fatal|killed/i;

export const pickSmokeErrorLine = (smoke: SmokeDto | null): string | null => {
  if (!smoke || smoke.runs) return null;
  if (smoke.error) return smoke.error;
  if (smoke.oomKilled) return "killed: out of memory";
  if (smoke.timedOut) return "timed out";
  const lines = `${smoke.outputHead}\n${smoke.outputTail}`.split("\n").map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => ERROR_HINT.test(l)) ?? lines.at(-1);
  return line ?? (smoke.exitCode !== null ? `exited with code ${smoke.exitCode}` : null);
};
