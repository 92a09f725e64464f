// What retention did to a build, and its pin: "image removed", "log removed after D days", pinned by whom.
import type { ReactNode } from "react";
import type { BuildSummaryDto } from "@/lib/types";
import { Card } from "@/components/ui/card";

type Props = {
  build: Pick<BuildSummaryDto, "id" | "pinnedAt" | "pinnedBy" | "imageRemovedAt" | "logRemovedAt" | "logRetainedDays">;
  /** The pin button, for builders and admins. */
  pinControl?: ReactNode;
};

const day = (iso: string) => iso.slice(0, 10);

export const BuildRetention = ({ build, pinControl }: Props) => (
  <Card title="Retention" actions={pinControl}>
    <ul className="space-y-1 text-sm text-slate-700 dark:text-slate-300" data-testid="build-retention">
      <li data-testid="build-pin">
        {build.pinnedAt ? (
          <>
            <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">pinned</span>{" "}
            by {build.pinnedBy ?? "someone"} on {day(build.pinnedAt)}: its image is kept.
          </>
        ) : (
          "Not pinned: its image goes when it is older than the builds kept per variant (unless shared or a baseline)."
        )}
      </li>
      {build.imageRemovedAt && (
        <li data-testid="image-removed">
          <strong>Image removed</strong> from the engine on {day(build.imageRemovedAt)}; the sizes, layers and advice on this page stay.
        </li>
      )}
      {build.logRemovedAt && (
        <li data-testid="log-removed">
          <strong>Log removed after {build.logRetainedDays ?? "?"} days</strong> (on {day(build.logRemovedAt)}); the steps, error and smoke result stay.
        </li>
      )}
    </ul>
  </Card>
);
