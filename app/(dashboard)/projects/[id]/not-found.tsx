import Link from "next/link";
import { EmptyState } from "@/components/ui/states";

export default function ProjectNotFound() {
  return (
    <EmptyState title="This project does not exist">
      <Link href="/" className="underline">
        Back to the overview
      </Link>
    </EmptyState>
  );
}
