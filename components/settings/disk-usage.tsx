// The engine's disk usage (GET /system/df): images, build cache, containers, volumes.
import type { ReactNode } from "react";
import { getDiskUsage, type DiskUsageRow } from "@/lib/docker/disk-usage";
import { toErrorInfo } from "@/lib/errors";
import { Table } from "@/components/ui/table";
import { Bytes } from "@/components/ui/bytes";
import { ErrorState } from "@/components/ui/states";

const LABELS: Record<DiskUsageRow["kind"], string> = { images: "Images", buildCache: "Build cache", containers: "Containers", volumes: "Volumes" };

export const DiskUsage = async ({ pruneControl }: { pruneControl?: ReactNode }) => {
  let usage;
  try {
    usage = await getDiskUsage();
  } catch (error) {
    return (
      <div data-testid="disk-usage-error">
        <ErrorState title="The engine did not say how much disk it uses" message={toErrorInfo(error).message} />
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <Table caption="Engine disk usage" data-testid="disk-usage">
        <thead>
          <tr>
            <th>Kind</th>
            <th className="text-right">Count</th>
            <th className="text-right">In use</th>
            <th className="text-right">Size</th>
            <th className="text-right">Reclaimable</th>
          </tr>
        </thead>
        <tbody>
          {usage.rows.map((row) => (
            <tr key={row.kind} data-kind={row.kind}>
              <th scope="row">{LABELS[row.kind]}</th>
              <td className="text-right tabular-nums">{row.count}</td>
              <td className="text-right tabular-nums">{row.active}</td>
              <td className="text-right">
                <Bytes value={row.sizeBytes} />
              </td>
              <td className="text-right">
                <Bytes value={row.reclaimableBytes} />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {pruneControl && (
        <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600 dark:text-slate-300">
          <span>Pruning removes the build cache no build uses now; the next builds run their steps again.</span>
          {pruneControl}
        </div>
      )}
    </div>
  );
};
