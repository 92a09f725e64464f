"use client";
// "Analysing contents…" with a progress bar: polls GET /api/builds/:id/content/findings
// while the analysis is queued or running, and re-reads the server page when it ends.
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { formatBytes } from "@/lib/format/bytes";

const INTERVAL_MS = 2000;

export type ContentProgressState = {
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
  progress: { bytesRead: number; bytesTotal: number | null; layersDone: number; layersTotal: number | null };
};

export const ContentProgress = ({ buildId, initial }: { buildId: string; initial: ContentProgressState }) => {
  const router = useRouter();
  const [state, setState] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);

  useEffect(() => {
    if (state.status !== "QUEUED" && state.status !== "RUNNING") return;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/builds/${encodeURIComponent(buildId)}/content/findings`, { cache: "no-store" });
        const body = await response.json();
        if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
        setPollError(null);
        const next = body.analysis as ContentProgressState;
        setState({ status: next.status, progress: next.progress });
        if (next.status === "SUCCEEDED" || next.status === "FAILED") router.refresh();
      } catch (e) {
        setPollError(e instanceof Error ? e.message : String(e));
        setState((s) => ({ ...s })); // poll again
      }
    }, INTERVAL_MS);
    return () => clearTimeout(timer);
  }, [state, buildId, router]);

  const { bytesRead, bytesTotal, layersDone, layersTotal } = state.progress;
  const pct = bytesTotal ? Math.min(100, Math.round((bytesRead / bytesTotal) * 100)) : null;
  return (
    <div className="space-y-2" role="status" aria-live="polite" data-testid="content-progress" data-status={state.status}>
      <p className="text-sm font-medium">{state.status === "QUEUED" ? "Content analysis queued…" : state.status === "RUNNING" ? "Analysing contents…" : "Content analysis finished; loading…"}</p>
      <div
        role="progressbar"
        aria-label="Content analysis"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div className={`h-full rounded-full bg-indigo-600 dark:bg-indigo-400 ${pct === null ? "w-1/4 animate-pulse" : ""}`} style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      <p className="text-xs tabular-nums text-slate-600 dark:text-slate-300">
        {formatBytes(bytesRead)}
        {bytesTotal ? ` of ${formatBytes(bytesTotal)}` : ""} read
        {layersTotal ? ` · ${layersDone} of ${layersTotal} layers` : layersDone ? ` · ${layersDone} layers` : ""}
        {" · the build's own result is not held up by this"}
      </p>
      {pollError && <p className="text-xs text-amber-700 dark:text-amber-300">Could not read the progress ({pollError}); retrying.</p>}
    </div>
  );
};
