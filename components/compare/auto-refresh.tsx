"use client";
// Re-reads the server page every few seconds while a comparison's builds are still running.
import { useEffect } from "react";
import { useRouter } from "next/navigation";

export const AutoRefresh = ({ active, intervalMs = 3000, label }: { active: boolean; intervalMs?: number; label: string }) => {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  if (!active) return null;
  return (
    <p role="status" aria-live="polite" className="flex items-center gap-2 text-sm text-blue-800 dark:text-blue-200" data-testid="auto-refresh">
      <span aria-hidden="true" className="h-2 w-2 animate-pulse rounded-full bg-blue-600" />
      {label}
    </p>
  );
};
