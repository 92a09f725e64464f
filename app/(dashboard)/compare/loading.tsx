import { LoadingBlock } from "@/components/ui/states";

export default function CompareLoading() {
  return (
    <div className="space-y-6">
      <LoadingBlock label="Loading comparison…" height="h-48" />
      <LoadingBlock label="Loading charts…" height="h-72" />
    </div>
  );
}
