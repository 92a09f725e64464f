// Whether the image starts: the smoke command, its exit and its output, with a failure
// stated plainly (size means nothing if the image is broken).
import { RunsBadge } from "@/components/ui/status-badge";
import { formatDuration } from "@/lib/format/bytes";
import type { SmokeDto } from "@/lib/types";

// The first line that looks like the reason, e.g. "libexpat.so.1: cannot open shared object file".
const findErrorLine = (smoke: SmokeDto) => {
  if (smoke.error) return smoke.error;
  const lines = `${smoke.outputHead}\n${smoke.outputTail}`.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error|cannot|not found|no such file|denied|fatal|exception/i.test(l)) ?? lines[lines.length - 1] ?? null;
};

const Output = ({ label, text }: { label: string; text: string }) => (
  <div>
    <h3 className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-300">{label}</h3>
    <pre tabIndex={0} className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-950 p-2 font-mono text-xs text-slate-100">
      {text || "(no output)"}
    </pre>
  </div>
);

export const SmokeResult = ({ smoke }: { smoke: SmokeDto }) => {
  const errorLine = smoke.runs ? null : findErrorLine(smoke);
  const sameOutput = smoke.outputHead === smoke.outputTail;
  return (
    <div className="space-y-3" data-testid="smoke-result" data-runs={smoke.runs}>
      {!smoke.runs && (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          <p className="font-semibold">This image does not run.</p>
          {errorLine && <p className="mt-1 break-words font-mono text-xs">{errorLine}</p>}
        </div>
      )}
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
        <div className="col-span-2 sm:col-span-4">
          <dt className="text-xs text-slate-500 dark:text-slate-400">Command</dt>
          <dd className="break-words font-mono text-xs">{smoke.command.length ? smoke.command.join(" ") : "(the image's ENTRYPOINT/CMD)"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Result</dt>
          <dd>
            <RunsBadge runs={smoke.runs} />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Exit code</dt>
          <dd className="tabular-nums">{smoke.exitCode ?? "—"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Duration</dt>
          <dd className="tabular-nums">{formatDuration(smoke.durationMs)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Limits</dt>
          <dd>{smoke.timedOut ? "timed out" : smoke.oomKilled ? "killed: out of memory" : "within limits"}</dd>
        </div>
      </dl>
      {sameOutput ? <Output label="Output" text={smoke.outputHead} /> : (
        <div className="grid gap-3 md:grid-cols-2">
          <Output label="Output (start)" text={smoke.outputHead} />
          <Output label="Output (end)" text={smoke.outputTail} />
        </div>
      )}
    </div>
  );
};
