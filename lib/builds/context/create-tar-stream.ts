// Streams a build context directory as a tar, honouring .dockerignore like the docker CLI.
import "server-only";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import ignore from "@balena/dockerignore";
import tar from "tar-stream";
import { AppError } from "@/lib/errors";
import { isInside } from "./paths";
import type { CreateTarStreamOptions } from "./types";

type Matcher = { isIgnored: (rel: string) => boolean; shouldDescend: (rel: string) => boolean };

const readDockerignore = async (dir: string): Promise<string> => {
  let real: string;
  try {
    real = await fsp.realpath(path.join(dir, ".dockerignore"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
  // A .dockerignore symlinked out of the context is refused rather than read or skipped:
  // skipping it would silently send what it excludes.
  if (!isInside(await fsp.realpath(dir), real)) {
    throw new AppError("CONTEXT_REFUSED", ".dockerignore is a symlink leading outside the build context");
  }
  return fsp.readFile(real, "utf8");
};

/** Normalises a Dockerfile path to the context-relative form the matcher sees, or null. */
const toContextPath = (dockerfile: string): string | null => {
  const normalized = path.posix.normalize(dockerfile.split(path.sep).join("/")).replace(/^(\.\/)+/, "");
  if (normalized === "." || normalized.startsWith("../") || normalized === ".." || path.posix.isAbsolute(normalized)) {
    return null;
  }
  return normalized.replace(/\/$/, "");
};

const createMatcher = (text: string, dockerfile: string): Matcher => {
  const ig = ignore({ ignorecase: false }).add(text);
  // Like the docker CLI (TrimBuildFilesFromExcludes): the Dockerfile and .dockerignore
  // are sent even when a pattern excludes them, since the builder needs them.
  const alwaysSent = new Set([".dockerignore"]);
  const dockerfilePath = toContextPath(dockerfile);
  if (dockerfilePath) alwaysSent.add(dockerfilePath);
  // With `!` exceptions a child of an excluded directory can come back, so excluded
  // directories must still be walked (docker's archive walker does the same).
  const hasExceptions = /^\s*\/?!/m.test(text);
  const isIgnored = (rel: string) => !alwaysSent.has(rel) && ig.ignores(rel);
  const shouldDescend = (rel: string) =>
    !ig.ignores(rel) || hasExceptions || [...alwaysSent].some((kept) => kept.startsWith(`${rel}/`));
  return { isIgnored, shouldDescend };
};

type EntryHeader = Partial<tar.Header> & { name: string };

const addEntry = (pack: tar.Pack, header: EntryHeader): Promise<void> =>
  new Promise((resolve, reject) => {
    pack.entry(header, (error) => (error ? reject(error) : resolve()));
  });

const addFile = async (pack: tar.Pack, header: EntryHeader, absolute: string): Promise<void> => {
  // O_NOFOLLOW: a file swapped for a symlink after lstat is refused, not followed.
  const handle = header.size ? await fsp.open(absolute, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW) : null;
  return new Promise((resolve, reject) => {
    const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    if (!handle) {
      sink.end(Buffer.alloc(0));
      return;
    }
    // autoClose (the default) closes the handle when the read ends or fails.
    const source = handle.createReadStream({ start: 0, end: header.size! - 1, highWaterMark: 64 * 1024 });
    pipeline(source, sink as unknown as NodeJS.WritableStream).catch(reject);
  });
};

const packDirectory = async (pack: tar.Pack, root: string, relDir: string, matcher: Matcher): Promise<void> => {
  const entries = await fsp.readdir(path.join(root, relDir));
  entries.sort();
  for (const name of entries) {
    const rel = relDir ? `${relDir}/${name}` : name;
    const absolute = path.join(root, rel);
    const stat = await fsp.lstat(absolute);
    const ignored = matcher.isIgnored(rel);
    // The docker CLI sends root as owner of everything; keep the real modes and mtimes.
    const base = { name: rel, mode: stat.mode & 0o7777, mtime: stat.mtime, uid: 0, gid: 0 };
    if (stat.isDirectory()) {
      if (!ignored) await addEntry(pack, { ...base, name: `${rel}/`, type: "directory" });
      if (matcher.shouldDescend(rel)) await packDirectory(pack, root, rel, matcher);
      continue;
    }
    if (ignored) continue;
    if (stat.isFile()) {
      await addFile(pack, { ...base, type: "file", size: stat.size }, absolute);
    } else if (stat.isSymbolicLink()) {
      // Sent as a link, never followed: the builder resolves it inside the image.
      await addEntry(pack, { ...base, type: "symlink", linkname: await fsp.readlink(absolute) });
    }
    // Sockets, fifos and devices are skipped, as the docker CLI skips sockets.
  }
};

/**
 * Returns a tar stream of `dir`, produced lazily with backpressure: one file is read
 * from disk at a time, so memory stays flat whatever the context's size.
 */
export const createContextTarStream = (dir: string, opts: CreateTarStreamOptions = {}): NodeJS.ReadableStream => {
  const pack = tar.pack();
  const output = new PassThrough();
  pipeline(pack, output).catch((error) => output.destroy(error));
  const fill = async () => {
    const matcher = createMatcher(await readDockerignore(dir), opts.dockerfile ?? "Dockerfile");
    await packDirectory(pack, dir, "", matcher);
    pack.finalize();
  };
  fill().catch((error: Error) => {
    pack.destroy(error);
    output.destroy(error);
  });
  return output;
};
