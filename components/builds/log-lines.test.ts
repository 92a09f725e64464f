import { describe, expect, it } from "vitest";
import { appendLogLines, LOG_CHUNK_SIZE, parseLogLine } from "@/components/builds/log-lines";

const line = (seq: number, text = `line ${seq}`) => parseLogLine({ seq, stream: "stdout", text, at: "2026-01-01T00:00:00.000Z" });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));

describe("appendLogLines", () => {
  it("drops lines a reconnect replays", () => {
    const first = appendLogLines([], range(1, 5), 0);
    const second = appendLogLines(first.chunks, range(3, 8), first.lastSeq);
    expect(second.chunks.flat()).toHaveLength(8);
    expect(second.chunks.flat().map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(second.lastSeq).toBe(8);
  });

  it("returns the same chunks when nothing is new", () => {
    const first = appendLogLines([], range(1, 3), 0);
    expect(appendLogLines(first.chunks, range(1, 3), first.lastSeq).chunks).toBe(first.chunks);
  });

  it("keeps full chunks by identity and splits at the chunk size", () => {
    const first = appendLogLines([], range(1, LOG_CHUNK_SIZE), 0);
    const second = appendLogLines(first.chunks, range(LOG_CHUNK_SIZE + 1, LOG_CHUNK_SIZE + 10), first.lastSeq);
    expect(second.chunks).toHaveLength(2);
    expect(second.chunks[0]).toBe(first.chunks[0]);
    expect(second.chunks[1]).toHaveLength(10);
  });

  it("parses ANSI colours into segments without touching the text", () => {
    expect(parseLogLine({ seq: 1, stream: "stderr", text: "\u001b[31m<b>x</b>\u001b[0m", at: "" }).segments).toEqual([
      { text: "<b>x</b>", style: { color: "#f87171" } },
    ]);
  });
});
