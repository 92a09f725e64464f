import { LoadingBlock } from "@/components/ui/states";

export default function ProjectLoading() {
  return (
    <div className="space-y-6">
      <LoadingBlock label="Loading project…" height="h-20" />
      <LoadingBlock label="Loading variants…" height="h-40" />
      <LoadingBlock label="Loading history…" height="h-80" />
    </div>
  );
}
