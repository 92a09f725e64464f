"use client";
// The build log: a dark monospace pane that follows new lines until the reader scrolls
// up, then offers a jump back to the latest line. Text only: ANSI colours become styles.
import { memo, useCallback, useLayoutEffect, useRef, useState, type CSSProperties } from "react";
import type { AnsiSegment } from "@/lib/format/ansi";
import type { ParsedLogLine } from "@/components/builds/log-lines";

// Within this many pixels of the bottom still counts as "following".
const STICK_THRESHOLD_PX = 32;

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

const LogLine = ({ line }: { line: ParsedLogLine }) => (
  <div data-seq={line.seq} data-stream={line.stream} className={`flex gap-3 px-3 hover:bg-white/5 ${streamClass[line.stream] ?? streamClass.stdout}`}>
    <span aria-hidden="true" className="w-10 shrink-0 select-none text-right text-slate-500">
      {line.seq}
    </span>
    <span className="min-w-0 whitespace-pre-wrap break-words">
      {line.segments.length === 0
        ? "\u00a0"
        : line.segments.map((segment, i) =>
            Object.keys(segment.style).length ? (
              <span key={i} style={toCss(segment.style)}>
                {segment.text}
              </span>
            ) : (
              segment.text
            ),
          )}
    </span>
  </div>
);

// Full chunks keep their identity, so memo skips them when a line arrives.
const LogChunk = memo(function LogChunk({ lines }: { lines: ParsedLogLine[] }) {
  return (
    <>
      {lines.map((line) => (
        <LogLine key={line.seq} line={line} />
      ))}
    </>
  );
});

export const LogPane = ({
  chunks,
  lineCount,
  truncated,
  emptyText,
}: {
  chunks: ParsedLogLine[][];
  lineCount: number;
  truncated: boolean;
  emptyText: string;
}) => {
  const paneRef = useRef<HTMLDivElement>(null);
  const [isFollowing, setIsFollowing] = useState(true);

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

  useLayoutEffect(() => {
    const pane = paneRef.current;
    if (pane && isFollowing) pane.scrollTop = pane.scrollHeight;
  }, [chunks, truncated, isFollowing]);

  return (
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
        className="h-[28rem] overflow-auto rounded-lg bg-slate-950 py-2 font-mono text-xs leading-5 text-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border dark:border-slate-800"
      >
        {lineCount === 0 && <p className="px-3 text-slate-400">{emptyText}</p>}
        {chunks.map((chunk) => (
          <LogChunk key={chunk[0].seq} lines={chunk} />
        ))}
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
  );
};
