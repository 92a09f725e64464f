// Extracts an ARCHIVE context source (.tar, .tar.gz) into a temporary directory, safely.
import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { constants as fsConstants } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { AppError, isAppError } from "@/lib/errors";
import { hasNul, resolveWithin } from "./paths";

export type ArchiveLimits = { maxBytes: number; maxEntries: number };

type ArchiveEntry = tar.ExtractEvents["entry"][1];

const CHUNK = 64 * 1024;
// Room for tar headers, padding and pax records on top of the files' own bytes.
const HEADER_ALLOWANCE_PER_ENTRY = 3 * 512;

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`;

const isGzip = (data: Buffer) => data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;

const detectUnsupported = (data: Buffer): string | null => {
  if (data.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1"))) return "zip";
  if (data.subarray(0, 3).toString("latin1") === "BZh") return "bzip2";
  if (data.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "xz";
  if (data.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return "zstd";
  return null;
};

const chunks = function* (data: Buffer) {
  for (let offset = 0; offset < data.length; offset += CHUNK) yield data.subarray(offset, offset + CHUNK);
};

/** Fails the pipeline once more than `limit` bytes went through: stops gzip bombs early. */
const byteLimit = (limit: number, message: () => string) => {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) return callback(new AppError("PAYLOAD_TOO_LARGE", message()));
      callback(null, chunk);
    },
  });
};

const writeAll = async (handle: fs.FileHandle, chunk: Buffer) => {
  for (let offset = 0; offset < chunk.length; ) {
    offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
  }
};

const drain = async (entry: AsyncIterable<unknown>) => {
  for await (const _ of entry) void _;
};

type Extraction = {
  root: string;
  filename: string;
  limits: ArchiveLimits;
  entries: number;
  expandedBytes: number;
  symlinks: string[];
  directoryModes: Map<string, number>;
};

const refuse = (x: Extraction, message: string) =>
  new AppError("CONTEXT_REFUSED", `Archive ${x.filename} refused: ${message}`);

/**
 * Creates the directories above an entry, refusing to go through a symlink or a file:
 * that is how "symlink to /etc, then file etc-link/passwd" archives write outside.
 */
const prepareParents = async (x: Extraction, name: string, segments: string[]) => {
  let current = x.root;
  for (const segment of segments.slice(0, -1)) {
    current = path.join(current, segment);
    let stat;
    try {
      stat = await fs.lstat(current);
    } catch {
      await fs.mkdir(current, { mode: 0o700 });
      continue;
    }
    if (stat.isSymbolicLink()) throw refuse(x, `entry ${name} would be written through a symlink`);
    if (!stat.isDirectory()) throw refuse(x, `entry ${name} is below a file`);
  }
};

/** Makes way for a later entry with the same name, as tar does; never removes a directory. */
const removeExisting = async (x: Extraction, name: string, target: string) => {
  let stat;
  try {
    stat = await fs.lstat(target);
  } catch {
    return;
  }
  if (stat.isDirectory()) throw refuse(x, `entry ${name} replaces a directory`);
  await fs.unlink(target); // unlinking a symlink removes the link, not what it points to
};

const writeEntry = async (x: Extraction, entry: ArchiveEntry) => {
  const header = entry.header;
  const name = header.name;
  if (++x.entries > x.limits.maxEntries) {
    throw new AppError("PAYLOAD_TOO_LARGE", `Archive ${x.filename} has more than ${x.limits.maxEntries} entries`);
  }
  if (hasNul(name)) throw refuse(x, `entry name contains a NUL byte`);
  if (name.startsWith("/")) throw refuse(x, `entry ${name} has an absolute path`);
  const segments = name.split("/").filter((segment: string) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw refuse(x, `entry ${name} contains ".."`);
  const type = header.type ?? "file";

  if (segments.length === 0) {
    if (type !== "directory") throw refuse(x, `entry ${JSON.stringify(name)} has no name`);
    return drain(entry);
  }
  const rel = segments.join("/");
  const target = path.join(x.root, ...segments);
  // Never setuid/setgid/sticky on the server's disk; the permission bits are kept.
  const mode = (header.mode ?? 0o644) & 0o777;

  switch (type) {
    case "directory": {
      await prepareParents(x, name, segments);
      const stat = await fs.lstat(target).catch(() => null);
      if (stat && !stat.isDirectory()) throw refuse(x, `directory entry ${name} replaces a file or symlink`);
      if (!stat) await fs.mkdir(target, { mode: 0o700 });
      x.directoryModes.set(target, mode);
      return drain(entry);
    }
    case "file":
    case "contiguous-file": {
      const size = header.size ?? 0;
      x.expandedBytes += size;
      if (x.expandedBytes > x.limits.maxBytes) {
        throw new AppError(
          "PAYLOAD_TOO_LARGE",
          `Archive ${x.filename} expands to more than ${formatBytes(x.limits.maxBytes)} (limit)`,
        );
      }
      await prepareParents(x, name, segments);
      await removeExisting(x, name, target);
      // O_EXCL | O_NOFOLLOW: create a new file, never open an existing one or a link.
      const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW;
      const handle = await fs.open(target, flags, 0o600);
      try {
        // Written through the handle we opened (not a path), so nothing can redirect it.
        for await (const chunk of entry) await writeAll(handle, chunk as Buffer);
        await handle.chmod(mode);
        if (header.mtime) await handle.utimes(header.mtime, header.mtime);
      } finally {
        await handle.close();
      }
      return;
    }
    case "symlink": {
      const link = header.linkname ?? "";
      if (!link || hasNul(link)) throw refuse(x, `symlink ${name} has no valid target`);
      const lexical = path.posix.normalize(path.posix.join(path.posix.dirname(rel), link));
      if (path.posix.isAbsolute(link) || lexical === ".." || lexical.startsWith("../")) {
        throw refuse(x, `symlink ${name} points outside the archive`);
      }
      await prepareParents(x, name, segments);
      await removeExisting(x, name, target);
      await fs.symlink(link, target);
      x.symlinks.push(rel);
      return drain(entry);
    }
    case "link": {
      const link = header.linkname ?? "";
      const linkSegments = link.split("/").filter((segment: string) => segment !== "" && segment !== ".");
      if (!link || hasNul(link) || link.startsWith("/") || linkSegments.includes("..") || linkSegments.length === 0) {
        throw refuse(x, `hard link ${name} points outside the archive (${link})`);
      }
      const source = path.join(x.root, ...linkSegments);
      // The source must be a regular file reached without any symlink on the way.
      const resolved = await resolveWithin(x.root, linkSegments.join("/"));
      const stat = await fs.lstat(source).catch(() => null);
      if (resolved !== source || !stat?.isFile()) {
        throw refuse(x, `hard link ${name} must point to a regular file earlier in the archive (${link})`);
      }
      await prepareParents(x, name, segments);
      if (source === target) return drain(entry);
      await removeExisting(x, name, target);
      await fs.link(source, target);
      return drain(entry);
    }
    case "character-device":
    case "block-device":
    case "fifo":
      throw refuse(x, `entry ${name} is a ${type}, which a build context may not contain`);
    default:
      throw refuse(x, `entry ${name} has an unsupported type (${type})`);
  }
};

/** A symlink that is harmless on its own can climb out through another (`a -> .`, `b -> a/..`). */
const checkSymlinks = async (x: Extraction) => {
  for (const rel of x.symlinks) {
    if ((await resolveWithin(x.root, rel)) === null) {
      throw refuse(x, `symlink ${rel} points outside the archive`);
    }
  }
};

const applyDirectoryModes = async (x: Extraction) => {
  // Deepest first, and with the owner's rwx kept so the server can walk and remove them.
  const dirs = [...x.directoryModes].sort(([a], [b]) => b.length - a.length);
  for (const [dir, mode] of dirs) await fs.chmod(dir, mode | 0o700);
};

const toAppError = (x: Extraction, error: unknown): AppError => {
  if (isAppError(error)) return error;
  const message = (error as Error)?.message ?? String(error);
  const code = (error as NodeJS.ErrnoException)?.code ?? "";
  if (code.startsWith("Z_")) return refuse(x, `not a valid gzip stream (${message})`);
  return refuse(x, `not a valid tar archive (${message})`);
};

/**
 * Extracts a tar or gzipped tar (detected by its magic bytes, not its name) into a new
 * temporary directory, streaming, and returns it with "sha256:<hex>" of the archive.
 * Refuses absolute or `..` names, links leading outside, devices, and archives over the
 * entry or expanded-size limits; on any refusal the temporary directory is removed.
 */
export const extractArchiveContext = async (
  bytes: Buffer | Uint8Array,
  filename: string,
  limits: ArchiveLimits,
): Promise<{ dir: string; revision: string }> => {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length === 0) throw new AppError("CONTEXT_REFUSED", `Archive ${filename} is empty`);
  if (data.length > limits.maxBytes) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `Archive ${filename} is ${formatBytes(data.length)}, over the ${formatBytes(limits.maxBytes)} limit`,
    );
  }
  const unsupported = detectUnsupported(data);
  if (unsupported) {
    throw new AppError("CONTEXT_REFUSED", `Archive ${filename} is ${unsupported}; upload a .tar or .tar.gz`);
  }
  const revision = `sha256:${createHash("sha256").update(data).digest("hex")}`;
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "layerboard-archive-")));
  const x: Extraction = {
    root,
    filename,
    limits,
    entries: 0,
    expandedBytes: 0,
    symlinks: [],
    directoryModes: new Map(),
  };
  const extract = tar.extract();
  const tarLimit = limits.maxBytes + limits.maxEntries * HEADER_ALLOWANCE_PER_ENTRY + 1024 * 1024;
  const source = Readable.from(chunks(data), { objectMode: false });
  const limiter = byteLimit(
    tarLimit,
    () => `Archive ${filename} expands to more than ${formatBytes(limits.maxBytes)} (limit)`,
  );
  const feeding = isGzip(data)
    ? pipeline(source, createGunzip(), limiter, extract as unknown as NodeJS.WritableStream)
    : pipeline(source, limiter, extract as unknown as NodeJS.WritableStream);
  // Whichever of the feeding pipeline and the entry loop fails first, keep its error:
  // a limit hit while decompressing is the cause, the loop's "premature close" is not.
  let feedError: unknown = null;
  feeding.catch((error) => {
    feedError ??= error;
  });
  try {
    for await (const entry of extract) await writeEntry(x, entry);
    await feeding;
    await checkSymlinks(x);
    await applyDirectoryModes(x);
    return { dir: root, revision };
  } catch (error) {
    extract.destroy();
    source.destroy();
    await feeding.catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
    const cause = isAppError(error) ? error : isAppError(feedError) ? feedError : (feedError ?? error);
    throw toAppError(x, cause);
  }
};
