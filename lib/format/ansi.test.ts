import { describe, expect, it } from "vitest";
import { ANSI_PALETTE, parseAnsi, xterm256 } from "@/lib/format/ansi";

const ESC = "\u001b";

describe("parseAnsi", () => {
  it("returns plain text as one unstyled segment", () => {
    expect(parseAnsi("hello world").segments).toEqual([{ text: "hello world", style: {} }]);
  });

  it("returns no segments for an empty line", () => {
    expect(parseAnsi("").segments).toEqual([]);
  });

  it("colours text between a foreground code and a reset", () => {
    const { segments } = parseAnsi(`a ${ESC}[31merror${ESC}[0m b`);
    expect(segments).toEqual([
      { text: "a ", style: {} },
      { text: "error", style: { color: ANSI_PALETTE[1] } },
      { text: " b", style: {} },
    ]);
  });

  it("combines bold, bright colours and backgrounds, and unsets them one by one", () => {
    const { segments } = parseAnsi(`${ESC}[1;92;44mok${ESC}[22mthin${ESC}[39;49mplain`);
    expect(segments).toEqual([
      { text: "ok", style: { bold: true, color: ANSI_PALETTE[10], backgroundColor: ANSI_PALETTE[4] } },
      { text: "thin", style: { color: ANSI_PALETTE[10], backgroundColor: ANSI_PALETTE[4] } },
      { text: "plain", style: {} },
    ]);
  });

  it("treats an empty SGR (ESC[m) as a reset", () => {
    expect(parseAnsi(`${ESC}[33mx${ESC}[my`).segments).toEqual([
      { text: "x", style: { color: ANSI_PALETTE[3] } },
      { text: "y", style: {} },
    ]);
  });

  it("reads 256-colour and true-colour codes", () => {
    const { segments } = parseAnsi(`${ESC}[38;5;196mred${ESC}[48;2;0;128;255mboth`);
    expect(segments[0]).toEqual({ text: "red", style: { color: "#ff0000" } });
    expect(segments[1]).toEqual({ text: "both", style: { color: "#ff0000", backgroundColor: "#0080ff" } });
  });

  it("drops unknown and malformed codes without losing text", () => {
    expect(parseAnsi(`${ESC}[5;7;58mblink${ESC}[38;5;999mx${ESC}[38;2;1mz`).segments).toEqual([{ text: "blinkxz", style: {} }]);
  });

  it("removes cursor movement, erase and OSC title sequences", () => {
    const { segments } = parseAnsi(`${ESC}[2K${ESC}[1A${ESC}[?25lstep 1${ESC}]0;title\u0007 done${ESC}[K`);
    expect(segments.map((s) => s.text).join("")).toBe("step 1 done");
  });

  it("keeps HTML-looking text as literal text", () => {
    const { segments } = parseAnsi(`${ESC}[31m<script>alert(1)</script>${ESC}[0m`);
    expect(segments).toEqual([{ text: "<script>alert(1)</script>", style: { color: ANSI_PALETTE[1] } }]);
  });

  it("carries a style across lines", () => {
    const first = parseAnsi(`${ESC}[36mstart`);
    const second = parseAnsi("continued", first.style);
    expect(second.segments).toEqual([{ text: "continued", style: { color: ANSI_PALETTE[6] } }]);
  });
});

describe("xterm256", () => {
  it("maps the cube and the grey ramp", () => {
    expect(xterm256(16)).toBe("#000000");
    expect(xterm256(231)).toBe("#ffffff");
    expect(xterm256(232)).toBe("#080808");
    expect(xterm256(256)).toBeUndefined();
  });
});
