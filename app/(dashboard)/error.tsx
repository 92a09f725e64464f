"use client";
import { ErrorState } from "@/components/ui/states";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-3">
      <ErrorState title="This page could not be shown" message={error.message} />
      <button type="button" onClick={reset} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700">
        Try again
      </button>
    </div>
  );
}
