"use client";
// Re-reads the server page every few seconds while a comparison's builds are still running.
import { useEffect } from "react";
import { useRouter } from "next/navigation";

const INTERVAL_MS = 3000;

export const AutoRefresh = ({ active, label }: { active: boolean; label: string }) => {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), INTERVAL_MS);
    return () => clearInterval(timer);
  }, [active, router]);
  if (!active) return null;
  return (
    <p role="status" aria-live="polite" className="flex items-center gap-2 text-sm text-blue-800 dark:text-blue-200" data-testid="auto-refresh">
      <span aria-hidden="true" className="h-2 w-2 animate-pulse rounded-full bg-blue-600" />
      {label}
    </p>
  );
};
