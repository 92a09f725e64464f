// The pass/fail answer CI asks for. An image is only "passed" when every build finished,
// succeeded, its image runs, and it is within budget: a small image that does not start
// (or no image at all) must never read as green.
import type { Report } from "@/lib/reports/build-report";
import type { BuildStatus } from "@/lib/types";

export type ReportVerdict = {
  done: boolean;
  // done && healthy && budgetPassed
  passed: boolean;
  // every build succeeded and its image runs
  healthy: boolean;
  budgetPassed: boolean;
  // the build's status; for a comparison the worst one (or QUEUED/RUNNING while any is)
  status: BuildStatus;
  // false when any image does not run, true when all run, null when not known yet
  runs: boolean | null;
  messages: string[];
  builds: { buildId: string; variant: string; status: BuildStatus; runs: boolean | null; budgetPassed: boolean }[];
};

const STATUS_SEVERITY: BuildStatus[] = ["RUNNING", "QUEUED", "FAILED", "INTERRUPTED", "CANCELLED", "SUCCEEDED"];

const aggregateStatus = (statuses: BuildStatus[]): BuildStatus =>
  statuses.length === 0 ? "QUEUED" : STATUS_SEVERITY.find((status) => statuses.includes(status)) ?? "SUCCEEDED";

export const computeReportVerdict = (report: Report): ReportVerdict => {
  const { rows } = report;
  const messages: string[] = [];
  const pending = rows.filter((row) => row.status === "QUEUED" || row.status === "RUNNING");
  if (pending.length) messages.push(`${pending.length} of ${rows.length} build${rows.length === 1 ? "" : "s"} not finished yet`);
  for (const row of rows) {
    if (row.status === "QUEUED" || row.status === "RUNNING") continue;
    if (row.status !== "SUCCEEDED") messages.push(`${row.variant}: build ${row.status.toLowerCase()}${row.error ? `: ${row.error}` : ""}`);
    else if (row.runs === false) messages.push(`${row.variant}: the image does not run${row.smokeError ? ` (${row.smokeError})` : ""}`);
    else if (row.runs === null) messages.push(`${row.variant}: the image was not smoke-tested`);
  }
  messages.push(...report.budget.messages);
  const healthy = rows.length > 0 && rows.every((row) => row.status === "SUCCEEDED" && row.runs === true);
  const runs = rows.some((row) => row.runs === false) ? false : rows.length > 0 && rows.every((row) => row.runs === true) ? true : null;
  return {
    done: report.done,
    passed: report.done && healthy && report.budget.passed,
    healthy,
    budgetPassed: report.budget.passed,
    status: aggregateStatus(rows.map((row) => row.status)),
    runs,
    messages,
    builds: rows.map((row) => ({ buildId: row.buildId, variant: row.variant, status: row.status, runs: row.runs, budgetPassed: row.budget.passed })),
  };
};
