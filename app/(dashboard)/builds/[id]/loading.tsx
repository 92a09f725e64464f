import { LoadingBlock } from "@/components/ui/states";

export default function BuildLoading() {
  return (
    <div className="space-y-6">
      <div className="h-8 w-2/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <LoadingBlock label="Loading the build…" height="h-28" />
      <LoadingBlock label="Loading steps and log…" height="h-96" />
    </div>
  );
}
