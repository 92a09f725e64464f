// The build log as CI logs show it (issue 13): lines grouped by the build step that printed
// them, each group collapsible, plus search over the plain text. Pure: unit-tested beside it.
import type { AnsiSegment } from "@/lib/format/ansi";
import type { ParsedLogLine } from "@/components/builds/log-lines";
import type { StepDto } from "@/lib/types";

export type LogGroupKind = "step" | "classic-step" | "pipeline";

export type LogGroup = {
  /** Stable across renders: the step digest, or the seq of the group's first line. */
  id: string;
  kind: LogGroupKind;
  title: string;
  /** The BuildKit step the lines came from (kind "step"). */
  stepDigest: string | null;
  step: StepDto | null;
  failed: boolean;
  lines: ParsedLogLine[];
};

// The classic builder prints "Step 2/5 : RUN make" before each instruction's output.
const CLASSIC_STEP = /^Step \d+\/\d+ : /;
const LAYERBOARD_PREFIX = /^\[layerboard\]\s*/;

/**
 * Groups lines in order of each group's first line. A BuildKit step's lines all go to its
 * group even when parallel steps interleave; lines without a step (Layerboard's own, the
 * classic builder's) group by position: a classic "Step n/m" line opens a group, a run of
 * Layerboard lines forms one. `buildFailed`: a classic build's last step group failed (the
 * classic builder reports no steps).
 */
export const groupLogLines = (lines: ParsedLogLine[], steps: StepDto[], buildFailed = false): LogGroup[] => {
  const stepsByDigest = new Map(steps.map((step) => [step.digest, step]));
  const groups: LogGroup[] = [];
  const byStep = new Map<string, LogGroup>();
  for (const line of lines) {
    if (line.step) {
      let group = byStep.get(line.step);
      if (!group) {
        const step = stepsByDigest.get(line.step) ?? null;
        group = { id: `step-${line.step}`, kind: "step", title: step?.name ?? `step ${line.step.slice(0, 19)}`, stepDigest: line.step, step, failed: !!step?.error, lines: [] };
        byStep.set(line.step, group);
        groups.push(group);
      }
      group.lines.push(line);
      continue;
    }
    const last = groups.at(-1);
    const text = plainText(line);
    if (line.stream !== "system" && CLASSIC_STEP.test(text)) {
      groups.push({ id: `line-${line.seq}`, kind: "classic-step", title: text, stepDigest: null, step: null, failed: false, lines: [line] });
    } else if (last && (last.kind === "pipeline" || (last.kind === "classic-step" && line.stream !== "system"))) {
      last.lines.push(line);
    } else {
      groups.push({ id: `line-${line.seq}`, kind: "pipeline", title: text.replace(LAYERBOARD_PREFIX, "") || "Layerboard", stepDigest: null, step: null, failed: false, lines: [line] });
    }
  }
  if (buildFailed && !groups.some((group) => group.failed)) {
    const lastClassic = groups.findLast((group) => group.kind === "classic-step");
    if (lastClassic) lastClassic.failed = true;
  }
  return groups;
};

export const plainText = (line: Pick<ParsedLogLine, "segments">): string => line.segments.map((segment) => segment.text).join("");

/**
 * Which groups start open: all of them while a build runs or after it succeeded; after a
 * failure only the failing step's group and Layerboard's own lines (GitHub Actions' view).
 */
export const isGroupOpenByDefault = (group: LogGroup, hasFailedGroup: boolean): boolean =>
  !hasFailedGroup || group.failed || group.kind === "pipeline";

export type LogRow = { kind: "header"; group: LogGroup; open: boolean } | { kind: "line"; group: LogGroup; line: ParsedLogLine };

/** The rows the pane draws: a header per group, then its lines when open. */
export const toLogRows = (groups: LogGroup[], isOpen: (group: LogGroup) => boolean): LogRow[] => {
  const rows: LogRow[] = [];
  for (const group of groups) {
    const open = isOpen(group);
    rows.push({ kind: "header", group, open });
    if (open) for (const line of group.lines) rows.push({ kind: "line", group, line });
  }
  return rows;
};

/** Seqs of the lines whose plain text contains `query` (case-insensitive), in log order. */
export const findLogMatches = (lines: ParsedLogLine[], query: string): number[] => {
  const needle = query.toLowerCase();
  if (!needle) return [];
  const seqs: number[] = [];
  for (const line of lines) if (plainText(line).toLowerCase().includes(needle)) seqs.push(line.seq);
  return seqs;
};

/** The match after (step 1) or before (step -1) `current`, wrapping around; -1 when there are none. */
export const stepMatch = (count: number, current: number, step: 1 | -1): number =>
  count === 0 ? -1 : current < 0 ? (step === 1 ? 0 : count - 1) : (current + step + count) % count;

export type HighlightedSegment = AnsiSegment & { match: boolean };

/** Splits styled segments where `query` occurs (case-insensitive, also across segment borders), marking the matches. */
export const highlightSegments = (segments: AnsiSegment[], query: string): HighlightedSegment[] => {
  if (!query) return segments.map((segment) => ({ ...segment, match: false }));
  const text = segments.map((segment) => segment.text).join("");
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  const ranges: Array<[number, number]> = [];
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) ranges.push([at, at + needle.length]);
  if (!ranges.length) return segments.map((segment) => ({ ...segment, match: false }));
  const out: HighlightedSegment[] = [];
  let offset = 0;
  for (const segment of segments) {
    const start = offset;
    const end = offset + segment.text.length;
    offset = end;
    // Cut points inside this segment: every range border that falls within it.
    const cuts = new Set<number>([start, end]);
    for (const [from, to] of ranges) {
      if (from > start && from < end) cuts.add(from);
      if (to > start && to < end) cuts.add(to);
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i < points.length - 1; i++) {
      const [from, to] = [points[i], points[i + 1]];
      if (from === to) continue;
      const match = ranges.some(([a, b]) => from >= a && to <= b);
      out.push({ text: text.slice(from, to), style: segment.style, match });
    }
  }
  return out;
};

/** `#L123` → 123; anything else → null. */
export const parseLineHash = (hash: string): number | null => {
  const match = /^#L(\d{1,9})$/.exec(hash);
  return match ? Number(match[1]) : null;
};
