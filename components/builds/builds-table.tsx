// The builds page's table: one row per build. At 390 px the build (with its status under it),
// size and runs columns stay; status, builder, commit, duration and time join on wider screens.
import Link from "next/link";
import { Table } from "@/components/ui/table";
import { Bytes } from "@/components/ui/bytes";
import { RunsBadge, StatusBadge } from "@/components/ui/status-badge";
import { VariantChip } from "@/components/projects/variant-chip";
import { formatDuration, shortId } from "@/lib/format/bytes";
import { formatDateTime } from "@/lib/format/date";
import type { BuildSummaryDto } from "@/lib/types";

const wide = "hidden sm:table-cell";
const wider = "hidden md:table-cell";

export const BuildsTable = ({ builds }: { builds: BuildSummaryDto[] }) => (
  <Table look="list" caption="Builds, newest first" data-testid="builds-table">
    <thead>
      <tr>
        <th scope="col">Build</th>
        <th scope="col" className={wide}>
          Status
        </th>
        <th scope="col" className="text-right">
          Size
        </th>
        <th scope="col">Runs</th>
        <th scope="col" className={wide}>
          Builder
        </th>
        <th scope="col" className={wider}>
          Commit
        </th>
        <th scope="col" className={`${wider} text-right`}>
          Duration
        </th>
        <th scope="col" className={wide}>
          Queued
        </th>
      </tr>
    </thead>
    <tbody>
      {builds.map((b) => (
        <tr key={b.id} data-testid="build-row" data-build-id={b.id}>
          <td className="max-w-[8.5rem] sm:max-w-xs">
            <Link href={`/builds/${b.id}`} className="group flex w-full min-w-0 flex-col items-start gap-0.5 focus-visible:outline-2" aria-label={`${b.projectName} ${b.variantName} build ${shortId(b.id, 10)}`}>
              <VariantChip name={b.variantName} strategy={b.strategy} />
              <span className="block max-w-full truncate text-xs text-slate-500 group-hover:underline dark:text-slate-400">
                {b.projectName} · <span className="font-mono">{shortId(b.id, 8)}</span>
              </span>
            </Link>
            <span className="mt-1 block sm:hidden">
              <StatusBadge status={b.status} />
            </span>
          </td>
          <td className={wide}>
            <StatusBadge status={b.status} />
          </td>
          <td className="whitespace-nowrap text-right tabular-nums">
            <Bytes value={b.totalSize} />
          </td>
          <td className="whitespace-nowrap">{b.runs === null ? <span className="text-slate-400">—</span> : <RunsBadge runs={b.runs} />}</td>
          <td className={`${wide} text-xs`}>{b.builder === "BUILDKIT" ? "BuildKit" : "classic"}</td>
          <td className={`${wider} font-mono text-xs`} title={b.contextRevision ?? undefined}>
            {b.contextRevision ? shortId(b.contextRevision, 10) : "—"}
          </td>
          <td className={`${wider} whitespace-nowrap text-right text-xs tabular-nums`}>{formatDuration(b.durationMs)}</td>
          <td className={`${wide} whitespace-nowrap text-xs text-slate-500 dark:text-slate-400`}>
            <time dateTime={b.queuedAt} title={formatDateTime(b.queuedAt, { seconds: true })}>
              {formatDateTime(b.queuedAt, { zone: false })}
            </time>
          </td>
        </tr>
      ))}
    </tbody>
  </Table>
);
