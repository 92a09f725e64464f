// Reads one layer tar (uncompressed, as a stream) into a LayerIndex: every entry with its kind,
// size, mode, owner, link target, a SHA-256 for regular files of at least CONTENT_HASH_MIN_BYTES,
// the captured small text files (capture.ts) and the ELF facts of executables and libraries.
// Pure: no engine, no database; the layer is never buffered (only one ELF file at a time, up to
// ELF_READ_MAX_BYTES, and the captured files). The file hashes are ranges of the layer's own
// StreamHash (stream-hash.ts), computed on a worker thread while the parse goes on.
import { TarParser, type TarHeader } from "@/lib/content/tar-parser";
import { CAPTURE_MAX_LAYER_BYTES, CONTENT_HASH_MIN_BYTES, shouldCapture } from "@/lib/content/capture";
import { ELF_HEAD_BYTES, ELF_MAGIC, ELF_READ_MAX_BYTES, elfRangesToKeep, readElfInfo, type ElfPart } from "@/lib/content/elf";
import type { EntryKind, LayerEntry, LayerIndex, LayerStats } from "@/lib/content/types";
import { normalisePath, dirnameOf as parentOf } from "@/lib/content/fs-paths";
import { openStreamHash, type StreamHash } from "@/lib/content/stream-hash";

export type LayerIndexOptions = {
  /** Entries kept per layer; further entries are counted in the stats but not recorded. */
  maxEntries?: number;
  /** Captured content per layer (bytes of UTF-8 text). */
  maxCapturedBytes?: number;
};

export const DEFAULT_MAX_ENTRIES_PER_LAYER = 1_000_000;

/** A LayerIndex before its diff_id is known (the export reader hashes the tar around it). */
export type LayerContent = Omit<LayerIndex, "diffId"> & {
  /** Entries past `maxEntries`: counted in stats, not recorded. */
  droppedEntries: number;
};

const WHITEOUT_PREFIX = ".wh.";
const OPAQUE_MARKER = ".wh..wh..opq";

const TYPE_BITS: Record<string, number> = {
  file: 0o100000,
  "contiguous-file": 0o100000,
  link: 0o100000,
  directory: 0o040000,
  symlink: 0o120000,
  "character-device": 0o020000,
  "block-device": 0o060000,
  fifo: 0o010000,
};

// "./usr/lib/" → "/usr/lib": one normalisation for every content module (fs-paths.ts).
export { normalisePath, dirnameOf as parentOf } from "@/lib/content/fs-paths";

export const baseNameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

const kindOf = (type: TarHeader["type"]): EntryKind => {
  switch (type) {
    case "file":
      return "file";
    case "directory":
      return "dir";
    case "symlink":
      return "symlink";
    case "link":
      return "hardlink";
    default:
      return "other";
  }
};

export const emptyStats = (): LayerStats => ({ files: 0, dirs: 0, symlinks: 0, hardlinks: 0, whiteouts: 0, fileBytes: 0, tarBytes: 0 });

const countEntry = (stats: LayerStats, entry: LayerEntry) => {
  if (entry.kind === "file") {
    stats.files += 1;
    stats.fileBytes += entry.size;
  } else if (entry.kind === "dir") stats.dirs += 1;
  else if (entry.kind === "symlink") stats.symlinks += 1;
  else if (entry.kind === "hardlink") stats.hardlinks += 1;
  else if (entry.kind === "whiteout" || entry.kind === "opaque") stats.whiteouts += 1;
};

export type LayerIndexer = {
  /** Feeds the next bytes of the layer tar (synchronously indexed), before they go to its StreamHash. */
  write: (chunk: Buffer) => void;
  /** The tar and its StreamHash ended (every file digest is in): its index. Throws TarFormatError when it ended mid-entry. */
  end: () => LayerContent;
};

type Pending = {
  entry: LayerEntry;
  /** Its SHA-256 is wanted: registered as a range of the layer hash at its first byte. */
  hashed: boolean;
  wantsCapture: boolean;
  /** The first bytes, then (ELF or captured) the content up to the limit; null once not needed. */
  head: Buffer[] | null;
  headBytes: number;
  isElf: boolean | null;
  /** Bytes of this file seen so far (its offset of the next chunk). */
  seen: number;
  /** An ELF past its first ELF_HEAD_BYTES: only these ranges are kept (elfRangesToKeep), not the whole file. */
  kept: Array<{ start: number; end: number; chunks: Buffer[] }> | null;
  /** The head was no ELF whose program headers it holds: keep up to ELF_READ_MAX_BYTES, as for any odd file. */
  keepAll: boolean;
};

// Copies the parts of `slice` (at file offset `at`) that fall in the kept ranges.
const keepElfRanges = (state: Pending, slice: Buffer, at: number) => {
  for (const range of state.kept!) {
    const from = Math.max(range.start, at);
    const to = Math.min(range.end, at + slice.length);
    if (to > from) range.chunks.push(Buffer.from(slice.subarray(from - at, to - at)));
  }
};

// The head and the kept ranges as parts for readElfInfo; touching parts joined (a string may cross).
const keptParts = (head: Buffer, state: Pending): ElfPart[] => {
  const parts: ElfPart[] = [{ start: 0, buf: head }];
  for (const range of state.kept ?? []) {
    const buf = Buffer.concat(range.chunks);
    const last = parts[parts.length - 1];
    if (last.start + last.buf.length === range.start) last.buf = Buffer.concat([last.buf, buf]);
    else parts.push({ start: range.start, buf });
  }
  return parts;
};

const entryOf = (header: TarHeader): LayerEntry => {
  const rawPath = normalisePath(header.name);
  const name = baseNameOf(rawPath);
  if (name === OPAQUE_MARKER) return { path: parentOf(rawPath), kind: "opaque", size: 0, mode: 0, uid: header.uid, gid: header.gid };
  if (name.startsWith(WHITEOUT_PREFIX)) {
    const parent = parentOf(rawPath);
    return { path: `${parent === "/" ? "" : parent}/${name.slice(WHITEOUT_PREFIX.length)}`, kind: "whiteout", size: 0, mode: 0, uid: header.uid, gid: header.gid };
  }
  const kind = kindOf(header.type);
  const entry: LayerEntry = {
    path: rawPath,
    kind,
    size: kind === "file" ? header.size : 0,
    mode: header.mode | (TYPE_BITS[header.type] ?? 0),
    uid: header.uid,
    gid: header.gid,
  };
  if (kind === "symlink") entry.linkTarget = header.linkname;
  else if (kind === "hardlink") entry.linkTarget = normalisePath(header.linkname);
  return entry;
};

/**
 * Indexes a layer tar pushed through write(); nothing but one ELF file or captured file is
 * buffered. `layerHash` is the StreamHash the caller writes the same chunks to, after write().
 */
export const createLayerIndexer = (layerHash: StreamHash, options: LayerIndexOptions = {}): LayerIndexer => {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES_PER_LAYER;
  let capturedBudget = options.maxCapturedBytes ?? CAPTURE_MAX_LAYER_BYTES;
  const entries: LayerEntry[] = [];
  const captured: Record<string, string> = {};
  const stats = emptyStats();
  let droppedEntries = 0;
  let pending: Pending | null = null;

  const parser = new TarParser({
    onEntry: (header) => {
      const entry = entryOf(header);
      const isContent = entry.kind === "file" && entry.size > 0;
      const wantsCapture = isContent && shouldCapture(entry.path, entry.size) && entry.size <= capturedBudget;
      pending = {
        entry,
        hashed: isContent && entry.size >= CONTENT_HASH_MIN_BYTES,
        wantsCapture,
        head: isContent ? [] : null,
        headBytes: 0,
        isElf: null,
        seen: 0,
        kept: null,
        keepAll: false,
      };
    },
    onData: (chunk, offset) => {
      const state = pending!;
      if (state.hashed) {
        state.hashed = false;
        const { entry } = state;
        layerHash.hashRange(layerHash.written + offset, entry.size, (hex) => (entry.sha256 = hex));
      }
      const at = state.seen;
      state.seen += chunk.length;
      if (state.kept) return keepElfRanges(state, chunk, at);
      if (!state.head) return;
      // Most files are neither ELF nor captured: tell from the first chunk without copying it.
      if (state.isElf === null && state.headBytes === 0 && chunk.length >= ELF_MAGIC.length) {
        state.isElf = chunk[0] === ELF_MAGIC[0] && chunk[1] === ELF_MAGIC[1] && chunk[2] === ELF_MAGIC[2] && chunk[3] === ELF_MAGIC[3];
        if (!state.isElf && !state.wantsCapture) {
          state.head = null;
          return;
        }
      }
      const limit = state.wantsCapture ? state.entry.size : state.isElf && !state.keepAll ? ELF_HEAD_BYTES : ELF_READ_MAX_BYTES;
      if (state.headBytes >= limit) return;
      const part = state.headBytes + chunk.length > limit ? chunk.subarray(0, limit - state.headBytes) : chunk;
      // Copied: the chunk's memory belongs to the export stream.
      state.head.push(Buffer.from(part));
      state.headBytes += part.length;
      if (state.isElf === null && state.headBytes >= ELF_MAGIC.length) {
        const first = state.head.length === 1 ? state.head[0] : Buffer.concat(state.head);
        state.isElf = first.subarray(0, ELF_MAGIC.length).equals(ELF_MAGIC);
        if (!state.isElf && !state.wantsCapture) state.head = null;
      }
      // An ELF's head is in: from here on keep only the ranges its dynamic-linking facts live in.
      if (state.isElf && !state.wantsCapture && !state.keepAll && state.headBytes >= ELF_HEAD_BYTES) {
        const head = Buffer.concat(state.head!);
        state.head = [head];
        const ranges = elfRangesToKeep(head, state.entry.size);
        if (!ranges) {
          state.keepAll = true;
          const rest = chunk.subarray(part.length, part.length + ELF_READ_MAX_BYTES - state.headBytes);
          if (rest.length) {
            state.head.push(Buffer.from(rest));
            state.headBytes += rest.length;
          }
        } else {
          state.kept = ranges.filter(([, end]) => end > head.length).map(([start, end]) => ({ start: Math.max(start, head.length), end, chunks: [] }));
          if (part.length < chunk.length) keepElfRanges(state, chunk.subarray(part.length), at + part.length);
        }
      }
    },
    onEntryEnd: () => {
      const state = pending!;
      pending = null;
      const { entry } = state;
      if (state.head && (state.isElf || state.wantsCapture)) {
        const content = state.head.length === 1 ? state.head[0] : Buffer.concat(state.head);
        if (state.isElf) {
          const elf = safeReadElf(state.kept ? keptParts(content, state) : content.subarray(0, ELF_READ_MAX_BYTES));
          if (elf) entry.elf = elf;
        }
        if (state.wantsCapture && content.length === entry.size) {
          captured[entry.path] = content.toString("utf8");
          capturedBudget -= content.length;
        }
      }
      countEntry(stats, entry);
      if (entries.length < maxEntries) entries.push(entry);
      else droppedEntries += 1;
    },
  });

  return {
    write: (chunk) => parser.write(chunk),
    end: () => {
      parser.end();
      return { entries, captured, stats, droppedEntries };
    },
  };
};

// An analyser bug on one odd binary must not fail the whole image.
const safeReadElf = (content: Buffer | ElfPart[]) => {
  try {
    return readElfInfo(content);
  } catch {
    return null;
  }
};

/** A whole layer tar from an async iterable of chunks (or one buffer), with its diff_id. */
export const indexLayerTar = async (
  chunks: AsyncIterable<Buffer> | Buffer,
  options: LayerIndexOptions = {},
): Promise<LayerContent & { diffId: string }> => {
  const layerHash = openStreamHash();
  const indexer = createLayerIndexer(layerHash, options);
  try {
    for await (const chunk of Buffer.isBuffer(chunks) ? [chunks] : chunks) {
      indexer.write(chunk);
      layerHash.write(chunk);
      if (layerHash.backlogged) await layerHash.drained();
    }
  } catch (error) {
    layerHash.abort();
    throw error;
  }
  const diffId = `sha256:${await layerHash.end()}`;
  return { ...indexer.end(), diffId };
};
