// Build progress as steps done of steps known; BuildKit learns the total as it goes, so a
// queued or just-started build shows an indeterminate bar.
export const ProgressBar = ({ done, total, label }: { done: number; total: number; label: string }) => {
  const known = total > 0;
  const pct = known ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="flex items-center gap-2">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        className="h-2 w-full min-w-16 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div className={`h-full rounded-full bg-blue-600 dark:bg-blue-400 ${known ? "" : "w-1/4 animate-pulse"}`} style={known ? { width: `${pct}%` } : undefined} />
      </div>
      <span className="shrink-0 text-xs tabular-nums text-slate-500 dark:text-slate-400">{known ? `${done}/${total}` : "…"}</span>
    </div>
  );
};
