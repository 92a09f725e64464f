// The build page header: what was built, where, when, the result and the failure reason.
import Link from "next/link";
import { Bytes } from "@/components/ui/bytes";
import { RunsBadge, StatusBadge } from "@/components/ui/status-badge";
import { STRATEGY_COLORS } from "@/components/ui/palette";
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import { formatDuration, shortId } from "@/lib/format/bytes";
import { formatDateTime } from "@/lib/format/date";
import type { BuildDetailDto } from "@/lib/types";
import { MAIN_IMAGE } from "@/lib/layer-images";
import { countLayers } from "@/lib/builds/layer-counts";

const Time = ({ iso }: { iso: string | null }) =>
  iso ? (
    <time dateTime={iso} title={formatDateTime(iso, { seconds: true })}>
      {formatDateTime(iso, { seconds: true, zone: false })}
    </time>
  ) : (
    <>—</>
  );

const Fact = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <div className="min-w-0">
    <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
    <dd className="truncate text-sm">{children}</dd>
  </div>
);

const failureTitle: Partial<Record<BuildDetailDto["status"], string>> = {
  FAILED: "The build failed",
  INTERRUPTED: "The build was interrupted",
  CANCELLED: "The build was cancelled",
};

export const BuildHeader = ({ build, previousBuildId }: { build: BuildDetailDto; previousBuildId: string | null }) => {
  const meta = STRATEGY_META[build.strategy];
  const title = failureTitle[build.status];
  const mainLayers = build.layers.filter((l) => l.image === MAIN_IMAGE);
  const ownLayers = mainLayers.length ? countLayers(mainLayers).ownLayers : null;
  return (
    <header className="space-y-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h1 className="text-2xl font-semibold">
          <Link href={`/projects/${build.projectId}`} className="text-indigo-700 hover:underline focus-visible:outline-2 dark:text-indigo-300">
            {build.projectName}
          </Link>
          <span className="mx-2 text-slate-400" aria-hidden="true">
            →
          </span>
          <span className="sr-only"> variant </span>
          <span className="inline-flex items-center gap-2">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full" style={{ backgroundColor: STRATEGY_COLORS[build.strategy] }} />
            {build.variantName}
          </span>
        </h1>
        <StatusBadge status={build.status} />
        <RunsBadge runs={build.runs} />
        <span className="text-xs text-slate-500 dark:text-slate-400">{meta.label}</span>
        {previousBuildId && (
          <Link
            href={`/compare?builds=${previousBuildId},${build.id}&diff=${previousBuildId},${build.id}`}
            className="ml-auto rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Compare with the previous build
          </Link>
        )}
      </div>

      {title && (
        <div role="alert" data-testid="build-error" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          <p className="font-semibold">
            {title}
            {build.errorCode && <span className="ml-2 rounded bg-red-200 px-1.5 py-0.5 font-mono text-xs dark:bg-red-900">{build.errorCode}</span>}
          </p>
          {build.error && <p className="mt-1 whitespace-pre-wrap break-words font-mono text-xs">{build.error}</p>}
        </div>
      )}

      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-3 lg:grid-cols-6 dark:border-slate-800 dark:bg-slate-900">
        <Fact label="Total size">
          <Bytes value={build.totalSize} className="text-base font-semibold" />
        </Fact>
        <Fact label="Duration">{build.durationMs !== null ? formatDuration(build.durationMs) : build.status === "RUNNING" ? "running…" : "—"}</Fact>
        <Fact label="Queued">
          <Time iso={build.queuedAt} />
        </Fact>
        <Fact label="Started">
          <Time iso={build.startedAt} />
        </Fact>
        <Fact label="Finished">
          <Time iso={build.finishedAt} />
        </Fact>
        <Fact label="Builder">{build.builder === "BUILDKIT" ? "BuildKit" : "classic"}</Fact>
        <Fact label="Worker">
          <span title={build.workerId ?? undefined}>{build.workerId ?? "—"}</span>
        </Fact>
        <Fact label="Engine">
          {build.engineVersion ?? "—"}
          {build.storageDriver && <span className="text-slate-500 dark:text-slate-400"> · {build.storageDriver}</span>}
        </Fact>
        <Fact label="Context revision">
          <span className="font-mono text-xs" title={build.contextRevision ?? undefined}>
            {build.contextRevision ? shortId(build.contextRevision, 12) + (build.contextRevision.endsWith("-dirty") ? " (dirty)" : "") : "—"}
          </span>
        </Fact>
        <Fact label="Image id">
          <span className="font-mono text-xs" title={build.imageId ?? undefined}>
            {shortId(build.imageId)}
          </span>
        </Fact>
        <Fact label="Tag">
          <span className="font-mono text-xs" title={build.imageTag ?? undefined}>
            {build.imageTag ?? "—"}
          </span>
        </Fact>
        {/* Issue 13: the same count as the layer table's summary line (lib/builds/layer-counts.ts). */}
        <Fact label="Filesystem layers">
          <span data-testid="summary-layer-count" title="Layers the shipped image's filesystem is made of; the layer table also lists metadata-only history entries (ENV, CMD…)">
            {build.layerCount ?? "—"}
            {ownLayers !== null && <span className="text-slate-500 dark:text-slate-400"> ({ownLayers} own)</span>}
          </span>
        </Fact>
      </dl>
    </header>
  );
};
