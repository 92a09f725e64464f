// Empty, error and loading states shared by every page.
export const EmptyState = ({ title, children }: { title: string; children?: React.ReactNode }) => (
  <div className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
    <p className="font-medium text-slate-700 dark:text-slate-200">{title}</p>
    {children && <div className="mt-1">{children}</div>}
  </div>
);

export const ErrorState = ({ title = "Something went wrong", message }: { title?: string; message: string }) => (
  <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
    <p className="font-semibold">{title}</p>
    <p className="mt-1 whitespace-pre-wrap break-words">{message}</p>
  </div>
);

export const LoadingBlock = ({ label = "Loading…", height = "h-32" }: { label?: string; height?: string }) => (
  <div role="status" aria-live="polite" className={`flex ${height} animate-pulse items-center justify-center rounded-lg bg-slate-100 text-sm text-slate-500 dark:bg-slate-800 dark:text-slate-400`}>
    {label}
  </div>
);
