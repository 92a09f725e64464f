// Turns terminal text with ANSI SGR colour codes into plain text segments with a style,
// so the log pane can render them as styled text nodes (never as HTML). Pure.

export type AnsiStyle = {
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
};

export type AnsiSegment = { text: string; style: AnsiStyle };

// Tuned for a dark terminal background (the log pane is dark in both themes).
export const ANSI_PALETTE = [
  "#4b5563", // black (lifted so it stays visible on the dark pane)
  "#f87171", // red
  "#4ade80", // green
  "#facc15", // yellow
  "#60a5fa", // blue
  "#e879f9", // magenta
  "#22d3ee", // cyan
  "#e5e7eb", // white
  "#9ca3af", // bright black
  "#fca5a5", // bright red
  "#86efac", // bright green
  "#fde047", // bright yellow
  "#93c5fd", // bright blue
  "#f0abfc", // bright magenta
  "#67e8f9", // bright cyan
  "#ffffff", // bright white
] as const;

const hex = (n: number) => n.toString(16).padStart(2, "0");

// xterm's 256-colour table: 16 system colours, a 6×6×6 cube, then 24 greys.
export const xterm256 = (index: number): string | undefined => {
  if (!Number.isInteger(index) || index < 0 || index > 255) return undefined;
  if (index < 16) return ANSI_PALETTE[index];
  if (index < 232) {
    const i = index - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `#${hex(level(Math.floor(i / 36)))}${hex(level(Math.floor(i / 6) % 6))}${hex(level(i % 6))}`;
  }
  const grey = 8 + (index - 232) * 10;
  return `#${hex(grey)}${hex(grey)}${hex(grey)}`;
};

const isByte = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 0 && n <= 255;

// Reads an extended colour (38/48;5;n or 38/48;2;r;g;b) starting after the 38/48 code.
// Returns the colour (undefined when malformed) and how many parameters it used.
const readExtendedColour = (params: number[], at: number): { colour?: string; used: number } => {
  const mode = params[at];
  if (mode === 5) return { colour: isByte(params[at + 1]) ? xterm256(params[at + 1]) : undefined, used: 2 };
  if (mode === 2) {
    const [r, g, b] = [params[at + 1], params[at + 2], params[at + 3]];
    return { colour: isByte(r) && isByte(g) && isByte(b) ? `#${hex(r)}${hex(g)}${hex(b)}` : undefined, used: 4 };
  }
  return { used: 1 };
};

const applySgr = (style: AnsiStyle, params: number[]): AnsiStyle => {
  let next: AnsiStyle = { ...style };
  const codes = params.length ? params : [0];
  for (let i = 0; i < codes.length; i += 1) {
    const code = codes[i];
    if (code === 0) next = {};
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 9) next.strike = true;
    else if (code === 22) {
      delete next.bold;
      delete next.dim;
    } else if (code === 23) delete next.italic;
    else if (code === 24) delete next.underline;
    else if (code === 29) delete next.strike;
    else if (code >= 30 && code <= 37) next.color = ANSI_PALETTE[code - 30];
    else if (code >= 90 && code <= 97) next.color = ANSI_PALETTE[code - 90 + 8];
    else if (code === 39) delete next.color;
    else if (code >= 40 && code <= 47) next.backgroundColor = ANSI_PALETTE[code - 40];
    else if (code >= 100 && code <= 107) next.backgroundColor = ANSI_PALETTE[code - 100 + 8];
    else if (code === 49) delete next.backgroundColor;
    else if (code === 38 || code === 48) {
      const { colour, used } = readExtendedColour(codes, i + 1);
      if (colour) next[code === 38 ? "color" : "backgroundColor"] = colour;
      i += used;
    }
    // Anything else (blink, inverse, fonts…) is dropped on purpose.
  }
  return next;
};

// CSI sequences (ESC [ params final), OSC sequences (ESC ] … BEL or ESC \), and lone
// two-character escapes. Only CSI ending in "m" (SGR) changes the style; the rest vanish.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[([0-9;:?]*)([\u0040-\u007e])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[\u0040-\u005f]?|\u009b([0-9;]*)([\u0040-\u007e])/g;

const pushSegment = (segments: AnsiSegment[], text: string, style: AnsiStyle) => {
  if (!text) return;
  const last = segments[segments.length - 1];
  if (last && sameStyle(last.style, style)) last.text += text;
  else segments.push({ text, style });
};

const sameStyle = (a: AnsiStyle, b: AnsiStyle) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof AnsiStyle>;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
};

const parseParams = (raw: string) =>
  raw === "" ? [] : raw.split(/[;:]/).map((p) => (p === "" ? 0 : Number.parseInt(p, 10)));

// A line may start with a style carried over from earlier lines; the style in force at
// the end is returned so callers can carry it on.
export const parseAnsi = (input: string, initial: AnsiStyle = {}): { segments: AnsiSegment[]; style: AnsiStyle } => {
  const segments: AnsiSegment[] = [];
  let style = { ...initial };
  let cursor = 0;
  for (const match of input.matchAll(ESCAPE)) {
    pushSegment(segments, input.slice(cursor, match.index), style);
    cursor = match.index + match[0].length;
    const rawParams = match[1] ?? match[3];
    const final = match[2] ?? match[4];
    if (final === "m" && rawParams !== undefined && !rawParams.includes("?")) style = applySgr(style, parseParams(rawParams));
  }
  pushSegment(segments, input.slice(cursor), style);
  return { segments, style };
};

