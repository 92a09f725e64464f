// Escaping for text we do not control (variant and project names, Dockerfile
// instructions, engine errors) placed into GitHub-flavoured Markdown. Everything user
// typed must render as text: no links, images, HTML, mentions or broken tables.

// Backslash-escaping any ASCII punctuation is always literal in CommonMark; these are the
// characters that can start markup, a table cell, an HTML tag, a mention or an issue link.
const MARKUP = /[\\`*_[\]<>|~&#@!]/g;

const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, " ");

export const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const escapeMarkdown = (text: string) => oneLine(text).replace(MARKUP, (char) => `\\${char}`);

// A code span safe inside a table: the fence is longer than any backtick run inside, and
// `|` is escaped because GFM splits table cells before it parses code spans.
export const toCodeSpan = (text: string, { inTable = true }: { inTable?: boolean } = {}) => {
  const body = oneLine(text);
  if (!body) return "";
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const padded = body.startsWith("`") || body.endsWith("`") ? ` ${body} ` : body;
  return `${fence}${inTable ? padded.replace(/\|/g, "\\|") : padded}${fence}`;
};

// Advice details use `code` for commands; keep those as code and escape the rest.
export const escapeWithCodeSpans = (text: string) => {
  const parts = oneLine(text).split("`");
  if (parts.length % 2 === 0) return escapeMarkdown(text);
  return parts.map((part, index) => (index % 2 ? toCodeSpan(part) : escapeMarkdown(part))).join("");
};
