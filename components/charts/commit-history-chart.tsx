"use client";
// Image size per commit (issue 15): commits in first-parent order on the x-axis, one line per
// variant, regressions marked (a red triangle; a green ring where a later commit resolved one).
// The tooltip shows the short SHA, subject, author and date; a click opens the comparison at
// that commit (or its build).
import { useRouter } from "next/navigation";
import { format } from "date-fns";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { commitHref, type CommitHistoryRow } from "@/lib/history/shape-commit-history";
import type { HistorySeries } from "@/lib/history/shape-size-history";
import { formatBytes } from "@/lib/format/bytes";

const REGRESSION_COLOR = "#dc2626";
const RESOLVED_COLOR = "#16a34a";

type Props = {
  rows: CommitHistoryRow[];
  series: HistorySeries[];
  budgetLines: { key: string; name: string; color: string; value: number }[];
};

type DotProps = { cx?: number; cy?: number; payload?: CommitHistoryRow; dataKey?: unknown; index?: number };

const renderDot = (color: string, onOpen: (row: CommitHistoryRow) => void) =>
  function CommitDot({ cx, cy, payload, dataKey, index }: DotProps) {
    const key = String(dataKey);
    const meta = payload?.meta?.[key];
    if (cx == null || cy == null || !meta || !payload) return <g key={`${key}-${index}`} />;
    const open = (event: React.MouseEvent) => {
      event.stopPropagation();
      onOpen(payload);
    };
    const label = `${payload.commit.shortSha} ${payload.commit.subject}${meta.regression ? ` — regression: ${meta.regression === "size" ? "image grew" : "stopped running"}` : ""}${meta.resolves ? " — resolves a regression" : ""}`;
    return (
      <g key={`${key}-${index}`} onClick={open} style={{ cursor: "pointer" }} className="commit-dot" data-sha={payload.commit.sha} data-flag={meta.flag} data-regression={meta.regression ?? undefined} data-resolves={meta.resolves ?? undefined}>
        <title>{label}</title>
        <circle cx={cx} cy={cy} r={9} fill="transparent" />
        {meta.regression ? (
          <path d={`M${cx},${cy - 7}L${cx + 6.5},${cy + 5}L${cx - 6.5},${cy + 5}Z`} fill={REGRESSION_COLOR} stroke="white" strokeWidth={1} data-testid="regression-marker" />
        ) : meta.flag === "failed" ? (
          <path d={`M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx + 5},${cy - 5}L${cx - 5},${cy + 5}`} stroke={REGRESSION_COLOR} strokeWidth={2.5} strokeLinecap="round" />
        ) : meta.flag === "does-not-run" ? (
          <circle cx={cx} cy={cy} r={4.5} className="fill-white dark:fill-slate-900" stroke={color} strokeWidth={2} />
        ) : (
          <circle cx={cx} cy={cy} r={3.5} fill={color} />
        )}
        {meta.resolves && <circle cx={cx} cy={cy} r={7.5} fill="none" stroke={RESOLVED_COLOR} strokeWidth={2} />}
      </g>
    );
  };

const makeTooltip = (series: HistorySeries[]) =>
  function CommitTooltip({ active, payload }: TooltipContentProps) {
    const row = payload?.[0]?.payload as CommitHistoryRow | undefined;
    if (!active || !row) return null;
    return (
      <div className="max-w-xs rounded-md border border-slate-200 bg-white p-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900" data-testid="commit-tooltip">
        <p className="font-mono font-medium">{row.commit.shortSha}</p>
        <p className="font-medium">{row.commit.subject}</p>
        <p className="mb-1 text-slate-500 dark:text-slate-400">
          {row.commit.authorName} · {format(Date.parse(row.commit.authoredAt), "d MMM yyyy HH:mm")}
        </p>
        <ul className="space-y-1">
          {series
            .filter((s) => row.meta[s.key])
            .map((s) => {
              const meta = row.meta[s.key];
              return (
                <li key={s.key}>
                  <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ backgroundColor: s.color }} />
                  <span className="font-medium">{s.name}</span> <span className="tabular-nums">{meta.measured === null ? "—" : formatBytes(meta.measured)}</span>
                  {meta.flag === "failed" && <span className="font-semibold text-red-700 dark:text-red-300"> · failed</span>}
                  {meta.flag === "does-not-run" && <span className="font-semibold text-red-700 dark:text-red-300"> · does not run</span>}
                  {meta.regression && <span className="font-semibold text-red-700 dark:text-red-300"> · regression</span>}
                  {meta.resolves && <span className="font-semibold text-green-700 dark:text-green-300"> · resolves a regression</span>}
                </li>
              );
            })}
        </ul>
        <p className="mt-1 text-slate-500 dark:text-slate-400">click to open {row.commit.comparisonId ? "the comparison" : "the build"}</p>
      </div>
    );
  };

export const CommitHistoryChart = ({ rows, series, budgetLines }: Props) => {
  const router = useRouter();
  const open = (row: CommitHistoryRow) => {
    const href = commitHref(row);
    if (href) router.push(href);
  };
  const openRow = (state: { activeTooltipIndex?: number | string | null | undefined }) => {
    const index = Number(state?.activeTooltipIndex);
    const row = Number.isInteger(index) ? rows[index] : undefined;
    if (row) open(row);
  };
  return (
    <figure data-testid="commit-history-chart" className="text-slate-500 dark:text-slate-400">
      <figcaption className="sr-only">Image size per commit, first-parent order, per variant</figcaption>
      <LineChart responsive style={{ width: "100%", height: 300 }} data={rows} margin={{ top: 10, right: 16, bottom: 0, left: 8 }} onClick={openRow}>
        <CartesianGrid strokeDasharray="3 3" className="opacity-40" />
        <XAxis dataKey="index" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} padding={{ left: 16, right: 16 }} tickFormatter={(i: number) => rows[i]?.commit.shortSha ?? ""} tick={{ fill: "currentColor", fontSize: 11, fontFamily: "ui-monospace, monospace" }} stroke="currentColor" minTickGap={16} />
        <YAxis tickFormatter={(v: number) => formatBytes(v, 0)} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" width={72} domain={["auto", "auto"]} />
        <Tooltip content={makeTooltip(series)} isAnimationActive={false} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
        {budgetLines.map((b) => (
          <ReferenceLine key={`budget-${b.key}`} y={b.value} stroke={b.color} strokeDasharray="6 4" ifOverflow="extendDomain" label={{ value: `${b.name} budget ${formatBytes(b.value)}`, position: "insideTopRight", fill: b.color, fontSize: 11 }} />
        ))}
        {series.map((s) => (
          <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={2} connectNulls isAnimationActive={false} dot={renderDot(s.color, open)} activeDot={false} />
        ))}
      </LineChart>
    </figure>
  );
};

export const CommitMarkerKey = () => (
  <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
    <li className="flex items-center gap-1">
      <svg width="14" height="14" aria-hidden="true"><path d="M7,1L13,12L1,12Z" fill={REGRESSION_COLOR} /></svg> regression
    </li>
    <li className="flex items-center gap-1">
      <svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="5.5" fill="none" stroke={RESOLVED_COLOR} strokeWidth="2" /></svg> resolves a regression
    </li>
    <li className="flex items-center gap-1">
      <svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="4" fill="none" stroke="currentColor" strokeWidth="2" /></svg> does not run
    </li>
    <li className="flex items-center gap-1">
      <svg width="12" height="12" aria-hidden="true"><path d="M2,2L10,10M10,2L2,10" stroke={REGRESSION_COLOR} strokeWidth="2.5" strokeLinecap="round" /></svg> build failed
    </li>
    <li>commits in first-parent order, oldest left · click a commit to open its comparison</li>
  </ul>
);
