import { LoadingBlock } from "@/components/ui/states";

export default function Loading() {
  return <LoadingBlock label="Loading…" height="h-64" />;
}
