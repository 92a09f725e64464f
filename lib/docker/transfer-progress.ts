// Reads the engine's push and pull progress (`POST /images/{name}/push`, `POST /images/create`):
// one JSON object per line. Pure: which lines the build log shows (status changes, not the
// progress-bar ticks), the pushed digest, and the registry's error message.

export type TransferLine = {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: { Tag?: string; Digest?: string; Size?: number };
  error?: string;
  errorDetail?: { message?: string };
};

export type TransferOutcome = { digest: string | null; error: string | null; lines: string[] };

// Progress ticks arrive many times a second per layer: the log keeps the status changes.
const TICKS = new Set(["Pushing", "Downloading", "Extracting", "Waiting"]);

export const describeTransferLine = (line: TransferLine): string | null => {
  if (line.error || line.errorDetail) return `error: ${line.errorDetail?.message ?? line.error}`;
  if (!line.status || TICKS.has(line.status)) return null;
  return line.id ? `${line.id}: ${line.status}` : line.status;
};

/** Splits a byte stream into JSON lines (multi-byte characters may be split between chunks). */
export async function* transferLines(stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<TransferLine> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      const text = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (text) yield parseLine(text);
      newline = pending.indexOf("\n");
    }
  }
  pending += decoder.decode();
  if (pending.trim()) yield parseLine(pending.trim());
}

const parseLine = (text: string): TransferLine => {
  try {
    return JSON.parse(text) as TransferLine;
  } catch {
    return { status: text.slice(0, 500) };
  }
};

/** Folds the lines: the digest from `aux.Digest` (or the "digest: sha256:… size: N" status), the first error. */
export const foldTransfer = (outcome: TransferOutcome, line: TransferLine): TransferOutcome => {
  const text = describeTransferLine(line);
  const lines = text ? [...outcome.lines, text] : outcome.lines;
  const statusDigest = /digest: (sha256:[0-9a-f]{64})/.exec(line.status ?? "")?.[1] ?? null;
  const digest = line.aux?.Digest ?? statusDigest ?? outcome.digest;
  const error = outcome.error ?? (line.error || line.errorDetail ? (line.errorDetail?.message ?? line.error ?? "unknown error") : null);
  return { digest, error, lines };
};
