import type { BuildStatus } from "@/lib/types";

const styles: Record<BuildStatus, string> = {
  QUEUED: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  RUNNING: "bg-blue-100 text-blue-800 dark:bg-blue-900 dark:text-blue-100",
  SUCCEEDED: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100",
  FAILED: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100",
  CANCELLED: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100",
  INTERRUPTED: "bg-orange-100 text-orange-800 dark:bg-orange-900 dark:text-orange-100",
};

export const StatusBadge = ({ status }: { status: BuildStatus }) => (
  <span data-status={status} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${styles[status]}`}>
    {status.toLowerCase()}
  </span>
);

export const RunsBadge = ({ runs }: { runs: boolean | null }) =>
  runs === null ? null : runs ? (
    <span className="inline-flex items-center rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100">runs</span>
  ) : (
    <span data-testid="does-not-run" className="inline-flex items-center rounded-full bg-red-600 px-2 py-0.5 text-xs font-semibold text-white">does not run</span>
  );
