"use client";
// Retention for administrators: the defaults, a dry run that lists exactly what the job would
// remove now, and "run now" (confirmed; the job runs on a worker).
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/result";
import type { RetentionReport } from "@/lib/builds/retention/run-retention";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { ConfirmActionForm } from "@/components/settings/confirm-action-form";
import { Table } from "@/components/ui/table";
import { Bytes } from "@/components/ui/bytes";
import { EmptyState } from "@/components/ui/states";
import { secondaryButtonClass } from "@/components/ui/styles";

type Props = {
  defaults: { retainBuilds: number; retainLogDays: number; cron: string };
  actions: { dryRun: FormAction<RetentionReport>; runNow: FormAction };
};

const Report = ({ report }: { report: RetentionReport }) => {
  const nothing = !report.images.length && !report.imagesGone.length && !report.logs.length && !report.archives.length;
  return (
    <div className="space-y-3" data-testid="retention-dry-run">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Dry run on {report.engine} at {report.at.replace("T", " ").slice(0, 19)} UTC: {report.images.length} image(s), {report.logs.length} build log(s),{" "}
        {report.archives.length} archive(s) would go; {report.keptRecentCount} recent build(s) and {report.imagesKept.length} other(s) keep their images.
      </p>
      {nothing && <EmptyState title="Nothing would be removed now" />}
      {report.images.length > 0 && (
        <Table caption="Images that would be removed">
          <thead>
            <tr>
              <th>Build</th>
              <th>Project</th>
              <th>Image reference</th>
              <th className="text-right">Size</th>
            </tr>
          </thead>
          <tbody>
            {report.images.map((image) => (
              <tr key={image.buildId}>
                <td>
                  <a className="font-mono text-xs underline" href={`/builds/${image.buildId}`}>
                    {image.buildId}
                  </a>
                </td>
                <td>{image.project}</td>
                <td className="break-all font-mono text-xs">{image.refs.join(", ") || "(untagged: only marked)"}</td>
                <td className="text-right">
                  <Bytes value={image.sizeBytes} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {report.imagesGone.length > 0 && <p className="text-sm">Already gone from the engine (only marked): {report.imagesGone.join(", ")}</p>}
      {report.logs.length > 0 && (
        <Table caption="Logs that would be removed">
          <thead>
            <tr>
              <th>Build</th>
              <th>Finished</th>
              <th className="text-right">Lines</th>
              <th className="text-right">Kept for</th>
            </tr>
          </thead>
          <tbody>
            {report.logs.map((log) => (
              <tr key={log.buildId}>
                <td className="font-mono text-xs">{log.buildId}</td>
                <td>{log.finishedAt.slice(0, 10)}</td>
                <td className="text-right tabular-nums">{log.logLines}</td>
                <td className="text-right tabular-nums">{log.days} days</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {report.archives.length > 0 && (
        <p className="text-sm">
          Unused uploaded archives: {report.archives.map((a) => `${a.filename} (${a.size} bytes, ${a.createdAt.slice(0, 10)})`).join(", ")}
        </p>
      )}
    </div>
  );
};

export const RetentionPanel = ({ defaults, actions }: Props) => {
  const [state, dryRun, pending] = useActionState(actions.dryRun, null);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Each variant keeps the images of its last <strong>{defaults.retainBuilds}</strong> builds (LAYERBOARD_RETAIN_BUILDS), plus pinned builds, builds a
        share link shows and comparison baselines; logs are kept <strong>{defaults.retainLogDays}</strong> days (LAYERBOARD_RETAIN_LOG_DAYS). A project can
        override both on its settings page. The job runs on a worker at <code>{defaults.cron}</code> (UTC, LAYERBOARD_RETENTION_CRON).
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <form action={dryRun}>
          <SubmitButton pending={pending} pendingLabel="Planning…" className={secondaryButtonClass}>
            Dry run
          </SubmitButton>
        </form>
        <ConfirmActionForm
          action={actions.runNow}
          id="retention"
          label="Run retention now"
          confirmLabel="Remove them"
          pendingLabel="Queuing…"
          ariaLabel="Run retention now"
          warning="Removes the images, logs and archives a dry run lists."
        />
      </div>
      <ActionFailure state={state} />
      {state?.ok && <Report report={state.data} />}
    </div>
  );
};
