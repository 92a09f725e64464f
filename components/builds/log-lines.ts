// Log lines as the log pane keeps them: parsed once, deduplicated by seq, and held in
// fixed-size chunks so a new line re-renders only the last chunk. Pure.
import { parseAnsi, type AnsiSegment } from "@/lib/format/ansi";
import type { LogLineDto } from "@/lib/types";

/** `step`: the BuildKit step digest that printed the line, null for Layerboard's own (issue 13: grouping). */
export type ParsedLogLine = { seq: number; stream: string; segments: AnsiSegment[]; step: string | null };

export const LOG_CHUNK_SIZE = 200;

export const parseLogLine = (line: LogLineDto): ParsedLogLine => ({
  seq: line.seq,
  stream: line.stream,
  // Each line starts unstyled: lines are stored one by one and a replay may start anywhere.
  segments: parseAnsi(line.text).segments,
  step: line.step ?? null,
});

// Appends lines with a seq above `afterSeq` (a reconnect may replay lines already shown).
// Full chunks keep their identity; only the last chunk is copied.
export const appendLogLines = (
  chunks: ParsedLogLine[][],
  lines: ParsedLogLine[],
  afterSeq: number,
): { chunks: ParsedLogLine[][]; lastSeq: number; added: number } => {
  let lastSeq = afterSeq;
  const fresh: ParsedLogLine[] = [];
  for (const line of lines) {
    if (line.seq <= lastSeq) continue;
    fresh.push(line);
    lastSeq = line.seq;
  }
  if (!fresh.length) return { chunks, lastSeq, added: 0 };
  const next = chunks.slice();
  let last = next.length && next[next.length - 1].length < LOG_CHUNK_SIZE ? [...next.pop()!] : [];
  for (const line of fresh) {
    if (last.length === LOG_CHUNK_SIZE) {
      next.push(last);
      last = [];
    }
    last.push(line);
  }
  next.push(last);
  return { chunks: next, lastSeq, added: fresh.length };
};
