"use client";
// The line chart behind the size and duration history: one series per variant, markers for
// failed / does-not-run / over-budget builds, and a click on a point opens its build.
import { useRouter } from "next/navigation";
import { format } from "date-fns";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { pickTimeFormat, type HistoryRow, type HistorySeries, type PointMeta } from "@/lib/history/shape-size-history";
import { shortId } from "@/lib/format/bytes";

export type HistoryLineChartProps = {
  title: string;
  rows: HistoryRow[];
  series: HistorySeries[];
  budgetLines?: { key: string; name: string; color: string; value: number }[];
  formatValue: (value: number) => string;
  formatTick?: (value: number) => string;
  testId: string;
};

const FAILED_COLOR = "#dc2626";

const FLAG_TEXT: Record<PointMeta["flag"], string> = {
  ok: "",
  failed: "failed — no image",
  "does-not-run": "does not run",
  "over-budget": "over budget",
};

type DotProps = { cx?: number; cy?: number; payload?: HistoryRow; dataKey?: unknown; index?: number; stroke?: string };

const renderDot = (color: string, onOpen: (buildId: string) => void) =>
  function HistoryDot({ cx, cy, payload, dataKey, index }: DotProps) {
    const key = String(dataKey);
    const meta = payload?.meta?.[key];
    if (cx == null || cy == null || !meta) return <g key={`${key}-${index}`} />;
    const open = (event: React.MouseEvent) => {
      event.stopPropagation();
      onOpen(meta.buildId);
    };
    const label = `build ${shortId(meta.buildId)}${FLAG_TEXT[meta.flag] ? `: ${FLAG_TEXT[meta.flag]}` : ""}`;
    return (
      <g key={`${key}-${index}`} onClick={open} style={{ cursor: "pointer" }} data-flag={meta.flag} data-build-id={meta.buildId} className="history-dot">
        <title>{label}</title>
        {/* A larger transparent target makes small dots easy to hit. */}
        <circle cx={cx} cy={cy} r={9} fill="transparent" />
        {meta.flag === "failed" ? (
          <path d={`M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx + 5},${cy - 5}L${cx - 5},${cy + 5}`} stroke={FAILED_COLOR} strokeWidth={2.5} strokeLinecap="round" />
        ) : meta.flag === "does-not-run" ? (
          <circle cx={cx} cy={cy} r={4.5} className="fill-white dark:fill-slate-900" stroke={color} strokeWidth={2} />
        ) : meta.flag === "over-budget" ? (
          <>
            <circle cx={cx} cy={cy} r={7} fill="none" stroke={FAILED_COLOR} strokeWidth={1.5} />
            <circle cx={cx} cy={cy} r={3.5} fill={color} />
          </>
        ) : (
          <circle cx={cx} cy={cy} r={3.5} fill={color} />
        )}
      </g>
    );
  };

const makeTooltip = (series: HistorySeries[], formatValue: (value: number) => string) =>
  function HistoryTooltip({ active, payload }: TooltipContentProps) {
    const row = payload?.[0]?.payload as HistoryRow | undefined;
    if (!active || !row) return null;
    const entries = series.filter((s) => row.meta[s.key]);
    if (!entries.length) return null;
    return (
      <div className="max-w-xs rounded-md border border-slate-200 bg-white p-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900">
        <p className="mb-1 font-medium">{format(row.at, "d MMM yyyy HH:mm:ss")}</p>
        <ul className="space-y-1.5">
          {entries.map((s) => {
            const meta = row.meta[s.key];
            return (
              <li key={s.key}>
                <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ backgroundColor: s.color }} />
                <span className="font-medium">{s.name}</span>{" "}
                <span className="tabular-nums">{meta.measured === null ? "—" : formatValue(meta.measured)}</span>
                {meta.flag !== "ok" && <span className={meta.flag === "failed" || meta.flag === "does-not-run" ? " font-semibold text-red-700 dark:text-red-300" : " text-amber-700 dark:text-amber-300"}> · {FLAG_TEXT[meta.flag]}</span>}
                <div className="text-slate-500 dark:text-slate-400">
                  commit {meta.contextRevision ? shortId(meta.contextRevision, 12) : "—"} · build <span className="underline">{shortId(meta.buildId, 10)}</span> (click to open)
                </div>
              </li>
            );
          })}
        </ul>
      </div>
    );
  };

export const HistoryLineChart = ({ title, rows, series, budgetLines = [], formatValue, formatTick = formatValue, testId }: HistoryLineChartProps) => {
  const router = useRouter();
  const timeFormat = pickTimeFormat(rows);
  const open = (buildId: string) => router.push(`/builds/${buildId}`);
  // A click anywhere in the plot opens the build of the hovered row (the first, if several finished at once).
  const openRow = (state: { activeTooltipIndex?: number | string | null | undefined }) => {
    const index = Number(state?.activeTooltipIndex);
    const row = Number.isInteger(index) ? rows[index] : undefined;
    const meta = row && series.map((s) => row.meta[s.key]).find(Boolean);
    if (meta) open(meta.buildId);
  };
  return (
    <figure data-testid={testId} className="text-slate-500 dark:text-slate-400">
      <figcaption className="sr-only">{title}</figcaption>
      <LineChart responsive style={{ width: "100%", height: 300 }} data={rows} margin={{ top: 10, right: 16, bottom: 0, left: 8 }} onClick={openRow}>
        <CartesianGrid strokeDasharray="3 3" className="opacity-40" />
        <XAxis dataKey="at" type="number" scale="time" domain={["dataMin", "dataMax"]} padding={{ left: 24, right: 24 }} tickFormatter={(at: number) => format(at, timeFormat)} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" minTickGap={24} />
        <YAxis tickFormatter={(v: number) => formatTick(v)} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" width={72} domain={[0, "auto"]} />
        <Tooltip content={makeTooltip(series, formatValue)} isAnimationActive={false} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
        {budgetLines.map((b) => (
          <ReferenceLine key={`budget-${b.key}`} y={b.value} stroke={b.color} strokeDasharray="6 4" ifOverflow="extendDomain" label={{ value: `${b.name} budget ${formatValue(b.value)}`, position: "insideTopRight", fill: b.color, fontSize: 11 }} />
        ))}
        {series.map((s) => (
          <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={2} connectNulls isAnimationActive={false} dot={renderDot(s.color, open)} activeDot={false} />
        ))}
      </LineChart>
    </figure>
  );
};

// What the point markers mean, shown under each history chart.
export const HistoryMarkerKey = () => (
  <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
    <li className="flex items-center gap-1">
      <svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="3.5" fill="currentColor" /></svg> runs
    </li>
    <li className="flex items-center gap-1">
      <svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="4" fill="none" stroke="currentColor" strokeWidth="2" /></svg> does not run
    </li>
    <li className="flex items-center gap-1">
      <svg width="12" height="12" aria-hidden="true"><path d="M2,2L10,10M10,2L2,10" stroke={FAILED_COLOR} strokeWidth="2.5" strokeLinecap="round" /></svg> build failed
    </li>
    <li className="flex items-center gap-1">
      <svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="6" fill="none" stroke={FAILED_COLOR} strokeWidth="1.5" /><circle cx="7" cy="7" r="3" fill="currentColor" /></svg> over budget
    </li>
    <li>dashed line: size budget · click a point to open its build</li>
  </ul>
);
