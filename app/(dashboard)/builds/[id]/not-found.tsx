import Link from "next/link";
import { EmptyState } from "@/components/ui/states";

export default function BuildNotFound() {
  return (
    <EmptyState title="Build not found">
      It may have been deleted with its project.{" "}
      <Link href="/" className="text-indigo-700 underline dark:text-indigo-300">
        Back to the overview
      </Link>
    </EmptyState>
  );
}
