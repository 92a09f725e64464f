"use client";
// The build log as CI logs show it (issue 13): lines grouped by build step, each group
// collapsible; search with a match count and next/previous; `#L123` permalinks that highlight
// and scroll to their line; a raw download; sized to its content up to a limit, virtualised
// when long. It follows new lines until the reader scrolls up, then offers a jump back to the
// latest line. Text only: ANSI colours become styles, never HTML.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { AnsiSegment } from "@/lib/format/ansi";
import type { ParsedLogLine } from "@/components/builds/log-lines";
import {
  findLogMatches,
  groupLogLines,
  highlightSegments,
  isGroupOpenByDefault,
  parseLineHash,
  stepMatch,
  toLogRows,
  type LogGroup,
  type LogRow,
} from "@/components/builds/log-groups";
import { formatDuration } from "@/lib/format/bytes";
import type { BuildStatus, StepDto } from "@/lib/types";

// Within this many pixels of the bottom still counts as "following".
const STICK_THRESHOLD_PX = 32;
// Below this many rows every row is in the page (find-in-page works); above, only those in view.
// Low enough that a live log never lays out thousands of rows on every batch (bench:ui).
const VIRTUALISE_ABOVE_ROWS = 1000;
const ROW_HEIGHT_PX = 20;

const toCss = (style: AnsiSegment["style"]): CSSProperties => ({
  color: style.color,
  backgroundColor: style.backgroundColor,
  fontWeight: style.bold ? 700 : undefined,
  opacity: style.dim ? 0.7 : undefined,
  fontStyle: style.italic ? "italic" : undefined,
  textDecoration: [style.underline && "underline", style.strike && "line-through"].filter(Boolean).join(" ") || undefined,
});

const streamClass: Record<string, string> = {
  stdout: "text-slate-100",
  stderr: "text-red-300",
  system: "text-sky-300 italic",
};

// Props are primitives or stable objects (a parsed line keeps its identity), so a new batch of
// lines renders only the new rows (memo), not the thousands already on screen: rendering them
// all on every batch kept the main thread busy and delayed the stream's next events.
type LineMarks = { highlighted: boolean; match: boolean; current: boolean };

const LineText = ({ line, query }: { line: ParsedLogLine; query: string }) => {
  if (line.segments.length === 0) return <>{"\u00a0"}</>;
  const parts = query ? highlightSegments(line.segments, query) : line.segments.map((segment) => ({ ...segment, match: false }));
  return (
    <>
      {parts.map((part, i) => {
        const styled = Object.keys(part.style).length > 0;
        if (part.match)
          return (
            <mark key={i} data-match-text="" className="rounded-sm bg-yellow-300/80 text-slate-950" style={styled ? { fontWeight: part.style.bold ? 700 : undefined } : undefined}>
              {part.text}
            </mark>
          );
        return styled ? (
          <span key={i} style={toCss(part.style)}>
            {part.text}
          </span>
        ) : (
          <span key={i}>{part.text}</span>
        );
      })}
    </>
  );
};

const LogLineRow = memo(function LogLineRow({ line, query, ...marks }: { line: ParsedLogLine; query: string } & LineMarks) {
  return (
    <div
      id={`L${line.seq}`}
      data-seq={line.seq}
      data-stream={line.stream}
      data-highlighted={marks.highlighted || undefined}
      data-match={marks.match || undefined}
      data-current-match={marks.current || undefined}
      className={`flex gap-3 pl-5 pr-3 hover:bg-white/5 ${streamClass[line.stream] ?? streamClass.stdout} ${marks.highlighted ? "bg-amber-400/20 shadow-[inset_3px_0_0_0_rgb(251,191,36)]" : ""} ${marks.current ? "outline outline-1 -outline-offset-1 outline-yellow-300" : ""}`}
    >
      <a
        href={`#L${line.seq}`}
        aria-label={`Line ${line.seq}: link`}
        className="w-10 shrink-0 select-none text-right text-slate-500 hover:text-slate-200 hover:underline focus-visible:outline-1 focus-visible:outline-indigo-400"
      >
        {line.seq}
      </a>
      <span className="min-w-0 whitespace-pre-wrap break-words">
        <LineText line={line} query={query} />
      </span>
    </div>
  );
});

const stepDuration = (step: StepDto | null): string | null => {
  if (!step?.startedAt || !step.completedAt) return null;
  return formatDuration(Date.parse(step.completedAt) - Date.parse(step.startedAt));
};

const GroupHeader = memo(function GroupHeader({ group, open, onToggle }: { group: LogGroup; open: boolean; onToggle: (group: LogGroup) => void }) {
  const duration = stepDuration(group.step);
  return (
    <div className="px-1 pt-0.5" id={`log-group-${group.id}`}>
      <button
        type="button"
        data-testid="log-group"
        data-group-id={group.id}
        data-step={group.stepDigest ?? undefined}
        data-failed={group.failed || undefined}
        data-open={open}
        aria-expanded={open}
        onClick={() => onToggle(group)}
        className={`flex w-full min-w-0 items-center gap-2 rounded px-2 py-0.5 text-left hover:bg-white/10 focus-visible:outline-1 focus-visible:outline-indigo-400 ${group.failed ? "text-red-300" : group.kind === "pipeline" ? "text-sky-300" : "text-slate-200"}`}
      >
        <span aria-hidden="true" className="w-3 shrink-0 text-slate-400">
          {open ? "▾" : "▸"}
        </span>
        <span className="min-w-0 flex-1 truncate font-semibold" title={group.title}>
          {group.title}
        </span>
        {group.step?.image === "build" && <span className="shrink-0 rounded bg-white/10 px-1.5 text-[10px] uppercase tracking-wide text-slate-300">build image</span>}
        {group.step?.cached && <span className="shrink-0 rounded bg-white/10 px-1.5 text-[10px] uppercase tracking-wide text-slate-300">cached</span>}
        {group.failed && <span className="shrink-0 rounded bg-red-500/30 px-1.5 text-[10px] font-semibold uppercase tracking-wide text-red-100">failed</span>}
        {duration && <span className="shrink-0 tabular-nums text-slate-400">{duration}</span>}
        <span className="shrink-0 tabular-nums text-slate-500">{group.lines.length}</span>
      </button>
    </div>
  );
});

export type LogJump = { stepDigest: string; nonce: number };

export const LogPane = ({
  buildId,
  lines,
  steps,
  status,
  isLoaded,
  lineCount,
  truncated,
  emptyText,
  jump,
}: {
  buildId: string;
  lines: ParsedLogLine[];
  steps: StepDto[];
  status: BuildStatus;
  /** The stored log has been read to its end (the stream ended). */
  isLoaded: boolean;
  lineCount: number;
  truncated: boolean;
  emptyText: string;
  /** A click on a step in the timeline: open its group and scroll to its first line. */
  jump: LogJump | null;
}) => {
  const paneRef = useRef<HTMLDivElement>(null);
  const [isFollowing, setIsFollowing] = useState(true);
  const [overrides, setOverrides] = useState<Map<string, boolean>>(() => new Map());
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState(-1);
  const [hashSeq, setHashSeq] = useState<number | null>(null);
  // The line to bring into view after the next render (permalink, search, timeline, failure).
  const target = useRef<{ seq: number; scrollPage: boolean } | null>(null);
  const failureShown = useRef(false);
  const hashShown = useRef<number | null>(null);

  const isFailed = status === "FAILED";
  const groups = useMemo(() => groupLogLines(lines, steps, isFailed), [lines, steps, isFailed]);
  const hasFailedGroup = isFailed && groups.some((group) => group.failed);
  const isOpen = useCallback((group: LogGroup) => overrides.get(group.id) ?? isGroupOpenByDefault(group, hasFailedGroup), [overrides, hasFailedGroup]);
  const rows = useMemo(() => toLogRows(groups, isOpen), [groups, isOpen]);
  const groupOfSeq = useMemo(() => {
    const map = new Map<number, LogGroup>();
    for (const group of groups) for (const line of group.lines) map.set(line.seq, group);
    return map;
  }, [groups]);
  const matches = useMemo(() => findLogMatches(lines, query), [lines, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const currentSeq = current >= 0 && current < matches.length ? matches[current] : null;
  const isVirtual = rows.length > VIRTUALISE_ABOVE_ROWS;

  const virtualizer = useVirtualizer({
    count: isVirtual ? rows.length : 0,
    getScrollElement: () => paneRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 20,
    getItemKey: (index) => rowKey(rows[index]),
  });

  const openGroup = useCallback((group: LogGroup) => {
    setOverrides((previous) => (previous.get(group.id) === true ? previous : new Map(previous).set(group.id, true)));
  }, []);

  const reveal = useCallback(
    (seq: number, scrollPage: boolean) => {
      const group = groupOfSeq.get(seq);
      if (!group) return false;
      openGroup(group);
      target.current = { seq, scrollPage };
      setIsFollowing(false);
      return true;
    },
    [groupOfSeq, openGroup],
  );

  const onToggle = useCallback(
    (group: LogGroup) => setOverrides((previous) => new Map(previous).set(group.id, !isOpen(group))),
    [isOpen],
  );

  const setAll = (open: boolean) => setOverrides(new Map(groups.map((group) => [group.id, open])));

  const onScroll = useCallback(() => {
    const pane = paneRef.current;
    if (!pane) return;
    setIsFollowing(pane.scrollHeight - pane.scrollTop - pane.clientHeight < STICK_THRESHOLD_PX);
  }, []);

  const jumpToLatest = useCallback(() => {
    const pane = paneRef.current;
    if (!pane) return;
    pane.scrollTop = pane.scrollHeight;
    setIsFollowing(true);
  }, []);

  // `#L123`: read at mount and on every hash change (a click on a line number).
  useEffect(() => {
    const read = () => setHashSeq(parseLineHash(window.location.hash));
    read();
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);

  // The permalinked line, once it has arrived (the log streams in after the page loads).
  useEffect(() => {
    if (hashSeq === null || hashShown.current === hashSeq) return;
    if (reveal(hashSeq, true)) hashShown.current = hashSeq;
  }, [hashSeq, reveal]);

  // A failed build opens at the failing step's first line (unless a permalink asked for another).
  useEffect(() => {
    if (failureShown.current || !isLoaded || !hasFailedGroup || hashSeq !== null) return;
    const failed = groups.find((group) => group.failed);
    if (failed && reveal(failed.lines[0].seq, false)) failureShown.current = true;
  }, [isLoaded, hasFailedGroup, groups, hashSeq, reveal]);

  // A click on a step in the timeline; each click (nonce) once, not again when new lines arrive.
  const jumpDone = useRef(0);
  useEffect(() => {
    if (!jump || jumpDone.current === jump.nonce) return;
    const group = groups.find((candidate) => candidate.stepDigest === jump.stepDigest);
    if (group && reveal(group.lines[0].seq, true)) jumpDone.current = jump.nonce;
  }, [jump, groups, reveal]);

  const goToMatch = (index: number) => {
    setCurrent(index);
    if (index >= 0) reveal(matches[index], false);
  };

  const onQuery = (value: string) => {
    setQuery(value);
    const next = findLogMatches(lines, value);
    setCurrent(next.length ? 0 : -1);
    if (next.length) reveal(next[0], false);
  };

  // Bring the target line into view, or follow the end.
  useLayoutEffect(() => {
    const pane = paneRef.current;
    if (!pane) return;
    const wanted = target.current;
    if (wanted) {
      const index = rows.findIndex((row) => row.kind === "line" && row.line.seq === wanted.seq);
      if (index < 0) return;
      target.current = null;
      if (wanted.scrollPage) pane.scrollIntoView({ block: "nearest" });
      if (isVirtual) {
        virtualizer.scrollToIndex(index, { align: "center" });
      } else {
        const element = pane.querySelector<HTMLElement>(`[data-seq="${wanted.seq}"]`);
        if (element) pane.scrollTop = Math.max(0, element.offsetTop - pane.clientHeight / 3);
      }
      return;
    }
    if (isFollowing) pane.scrollTop = pane.scrollHeight;
  }, [rows, truncated, isFollowing, isVirtual, virtualizer]);

  const renderRow = (row: LogRow) =>
    row.kind === "header" ? (
      <GroupHeader group={row.group} open={row.open} onToggle={onToggle} />
    ) : (
      <LogLineRow
        line={row.line}
        // Only a matching row sees the query: typing re-renders the matches, not every row.
        query={matchSet.has(row.line.seq) ? query : ""}
        highlighted={row.line.seq === hashSeq}
        match={matchSet.has(row.line.seq)}
        current={row.line.seq === currentSeq}
      />
    );

  return (
    <div className="space-y-2">
      {/* Nothing to search, fold or download before the first line. */}
      {lineCount > 0 && (
        <div className="flex flex-wrap items-center gap-2 text-xs" data-testid="log-toolbar">
          <div className="flex w-full min-w-0 items-center gap-1 sm:w-auto sm:flex-1">
            <input
              type="search"
              value={query}
              onChange={(event) => onQuery(event.target.value)}
              onKeyDown={(event) => {
                if (event.key !== "Enter") return;
                event.preventDefault();
                goToMatch(stepMatch(matches.length, current, event.shiftKey ? -1 : 1));
              }}
              placeholder="Search the log"
              aria-label="Search the log"
              data-testid="log-search"
              className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 placeholder:text-slate-400 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 sm:max-w-xs"
            />
            <span data-testid="log-search-count" aria-live="polite" className="w-20 shrink-0 text-center tabular-nums text-slate-600 dark:text-slate-300">
              {query ? (matches.length ? `${current + 1} of ${matches.length}` : "no matches") : ""}
            </span>
            <button
              type="button"
              aria-label="Previous match"
              disabled={!matches.length}
              onClick={() => goToMatch(stepMatch(matches.length, current, -1))}
              className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100 disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              ↑
            </button>
            <button
              type="button"
              aria-label="Next match"
              disabled={!matches.length}
              onClick={() => goToMatch(stepMatch(matches.length, current, 1))}
              className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100 disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              ↓
            </button>
          </div>
          <div className="flex items-center gap-2">
            <button type="button" onClick={() => setAll(true)} className="text-indigo-700 hover:underline dark:text-indigo-300">
              Expand all
            </button>
            <button type="button" onClick={() => setAll(false)} className="text-indigo-700 hover:underline dark:text-indigo-300">
              Collapse all
            </button>
            <a href={`/api/builds/${encodeURIComponent(buildId)}/logs`} download className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" data-testid="log-download">
              Download raw log
            </a>
          </div>
        </div>
      )}
      <div className="relative">
        <div
          ref={paneRef}
          onScroll={onScroll}
          role="log"
          aria-label="Build log"
          // Announcing every line would drown a screen reader; the status line announces progress.
          aria-live="off"
          tabIndex={0}
          data-testid="log-pane"
          data-line-count={lineCount}
          data-virtual={isVirtual || undefined}
          // Sized to its content up to the limit, then it scrolls.
          className="relative max-h-[32rem] min-h-[3rem] overflow-auto rounded-lg bg-slate-950 py-2 font-mono text-xs leading-5 text-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border dark:border-slate-800"
        >
          {lineCount === 0 && <p className="px-3 text-slate-400">{emptyText}</p>}
          {isVirtual ? (
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {virtualizer.getVirtualItems().map((item) => (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="absolute left-0 top-0 w-full" style={{ transform: `translateY(${item.start}px)` }}>
                  {renderRow(rows[item.index])}
                </div>
              ))}
            </div>
          ) : (
            rows.map((row) => <div key={rowKey(row)}>{renderRow(row)}</div>)
          )}
          {truncated && (
            <p data-testid="log-truncated" className="mx-3 mt-2 rounded border border-amber-500/60 px-2 py-1 text-amber-200">
              Log truncated: the build wrote more than the stored log limit. The build itself was not affected.
            </p>
          )}
        </div>
        {!isFollowing && lineCount > 0 && (
          <button
            type="button"
            onClick={jumpToLatest}
            className="absolute bottom-3 right-5 rounded-full bg-indigo-600 px-3 py-1 text-xs font-medium text-white shadow hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-300"
          >
            Jump to latest ↓
          </button>
        )}
      </div>
    </div>
  );
};

const rowKey = (row: LogRow) => (row.kind === "header" ? `g:${row.group.id}` : `l:${row.line.seq}`);
