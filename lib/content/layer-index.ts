// Reads one layer tar (uncompressed, as a stream) into a LayerIndex: every entry with its kind,
// size, mode, owner, link target, a SHA-256 for regular files of at least CONTENT_HASH_MIN_BYTES,
// the captured small text files (capture.ts) and the ELF facts of executables and libraries.
// Pure: no engine, no database; the layer is never buffered (only one ELF file at a time, up to
// ELF_READ_MAX_BYTES, and the captured files).
import { createHash } from "node:crypto";
import * as tar from "tar-stream";
import { CAPTURE_MAX_LAYER_BYTES, CONTENT_HASH_MIN_BYTES, shouldCapture } from "@/lib/content/capture";
import { ELF_MAGIC, ELF_READ_MAX_BYTES, readElfInfo } from "@/lib/content/elf";
import type { EntryKind, LayerEntry, LayerIndex, LayerStats } from "@/lib/content/types";

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

/** "./usr/lib/" → "/usr/lib"; "." and ".." segments resolved; the root is "/". */
export const normalisePath = (name: string): string => {
  const parts: string[] = [];
  for (const segment of name.split("/")) {
    if (!segment || segment === ".") continue;
    if (segment === "..") parts.pop();
    else parts.push(segment);
  }
  return `/${parts.join("/")}`;
};

export const parentOf = (path: string): string => {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
};

export const baseNameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

const kindOf = (type: tar.Header["type"] | undefined): EntryKind => {
  switch (type) {
    case "file":
    case "contiguous-file":
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

/**
 * Reads the entries of a layer tar from `extract` (tar-stream's extract, fed by the caller) until
 * it ends. Throws what the tar parser throws on a truncated or corrupt tar.
 */
export const indexLayerEntries = async (extract: tar.Extract, options: LayerIndexOptions = {}): Promise<LayerContent> => {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES_PER_LAYER;
  let capturedBudget = options.maxCapturedBytes ?? CAPTURE_MAX_LAYER_BYTES;
  const entries: LayerEntry[] = [];
  const captured: Record<string, string> = {};
  const stats = emptyStats();
  let droppedEntries = 0;

  for await (const stream of extract) {
    const header = stream.header;
    const rawPath = normalisePath(header.name);
    const name = baseNameOf(rawPath);
    let entry: LayerEntry;
    if (name === OPAQUE_MARKER) {
      entry = { path: parentOf(rawPath), kind: "opaque", size: 0, mode: 0, uid: header.uid ?? 0, gid: header.gid ?? 0 };
    } else if (name.startsWith(WHITEOUT_PREFIX)) {
      const deleted = `${parentOf(rawPath) === "/" ? "" : parentOf(rawPath)}/${name.slice(WHITEOUT_PREFIX.length)}`;
      entry = { path: deleted, kind: "whiteout", size: 0, mode: 0, uid: header.uid ?? 0, gid: header.gid ?? 0 };
    } else {
      const kind = kindOf(header.type);
      entry = {
        path: rawPath,
        kind,
        size: kind === "file" ? header.size ?? 0 : 0,
        mode: (header.mode ?? 0) | (TYPE_BITS[header.type ?? ""] ?? 0),
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
      };
      if (kind === "symlink") entry.linkTarget = header.linkname ?? "";
      else if (kind === "hardlink") entry.linkTarget = normalisePath(header.linkname ?? "");
    }

    if (entry.kind === "file" && entry.size > 0) {
      const wantsHash = entry.size >= CONTENT_HASH_MIN_BYTES;
      const wantsCapture = shouldCapture(entry.path, entry.size) && entry.size <= capturedBudget;
      const hash = wantsHash ? createHash("sha256") : null;
      // The first bytes decide whether the file is an ELF; then it is kept up to ELF_READ_MAX_BYTES.
      let head: Buffer[] | null = [];
      let headBytes = 0;
      let isElf: boolean | null = null;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash?.update(chunk);
        if (head && (wantsCapture || isElf !== false) && headBytes < (wantsCapture ? entry.size : ELF_READ_MAX_BYTES)) {
          head.push(chunk);
          headBytes += chunk.length;
          if (isElf === null && headBytes >= ELF_MAGIC.length) {
            isElf = Buffer.concat(head).subarray(0, ELF_MAGIC.length).equals(ELF_MAGIC);
            if (!isElf && !wantsCapture) head = null;
          }
        }
      }
      if (hash) entry.sha256 = hash.digest("hex");
      if (head && (isElf || wantsCapture)) {
        const content = Buffer.concat(head);
        if (isElf) {
          const elf = safeReadElf(content.subarray(0, ELF_READ_MAX_BYTES));
          if (elf) entry.elf = elf;
        }
        if (wantsCapture && content.length === entry.size) {
          captured[entry.path] = content.toString("utf8");
          capturedBudget -= content.length;
        }
      }
    } else {
      // Drained (an entry with no body still has to end before the next header is read).
      for await (const _chunk of stream) void _chunk;
    }

    countEntry(stats, entry);
    if (entries.length < maxEntries) entries.push(entry);
    else droppedEntries += 1;
  }
  return { entries, captured, stats, droppedEntries };
};

// An analyser bug on one odd binary must not fail the whole image.
const safeReadElf = (content: Buffer) => {
  try {
    return readElfInfo(content);
  } catch {
    return null;
  }
};

/** Convenience for tests and small inputs: a whole layer tar from an async iterable of chunks. */
export const indexLayerTar = async (chunks: AsyncIterable<Buffer> | Buffer, options: LayerIndexOptions = {}): Promise<LayerContent> => {
  const extract = tar.extract();
  const indexing = indexLayerEntries(extract, options);
  const feeding = (async () => {
    try {
      for await (const chunk of Buffer.isBuffer(chunks) ? [chunks] : chunks) {
        if (!extract.write(chunk)) await new Promise<void>((resolve) => extract.once("drain", () => resolve()));
      }
      (extract as unknown as { end: () => void }).end();
    } catch (error) {
      extract.destroy(error as Error);
    }
  })();
  const [content] = await Promise.all([indexing, feeding]);
  return content;
};
