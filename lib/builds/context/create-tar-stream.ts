// Streams a build context directory as a tar, honouring .dockerignore like the docker CLI.
import "server-only";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Readable, type Writable } from "node:stream";
import ignore from "@balena/dockerignore";
import { AppError } from "@/lib/errors";
import { isInside } from "./paths";
import { END_OF_ARCHIVE, MAX_HEADER_BYTES, paddingFor, writeTarHeader, type TarHeader } from "./tar-header";
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

// Files up to this size are read with one synchronous read straight into the output batch:
// the thread-pool round trips of async lstat/open/read/close cost more than the syscalls (2 ms a
// file measured on the 300-file app context; 64 reads in flight: 1.6× slower on 20,000 files).
// Bigger ones in READ_CHUNK pieces on the thread pool, while the event loop writes the last one.
const SMALL_FILE_BYTES = 256 * 1024;
const BATCH_BYTES = 1024 * 1024;
const READ_CHUNK = 1024 * 1024;
// The event loop gets a turn at least this often while packing (heartbeats, log writes).
const YIELD_EVERY_MS = 10;

type Frame = { rel: string; names: string[]; next: number };

const listSorted = (absolute: string): string[] => fs.readdirSync(absolute).sort();

// Like tar-stream's pack: an entry with mode 0 gets the default mode of its type.
const modeOf = (stat: fs.Stats, type: "file" | "directory" | "symlink") =>
  stat.mode & 0o7777 || (type === "directory" ? 0o755 : 0o644);

const shrank = (name: string) => new AppError("CONTEXT_REFUSED", `${name} changed size while the build context was being packed`);

/** Reads exactly `size` bytes of an open file at `offset` into `target`; a file that shrank is an error. */
const readExactly = (fd: number, target: Buffer, targetOffset: number, size: number, position: number, name: string) => {
  let done = 0;
  while (done < size) {
    const read = fs.readSync(fd, target, targetOffset + done, size - done, position + done);
    if (read === 0) throw shrank(name);
    done += read;
  }
};

const readAt = (fd: number, target: Buffer, targetOffset: number, size: number, position: number) =>
  new Promise<number>((resolve, reject) => fs.read(fd, target, targetOffset, size, position, (error, read) => (error ? reject(error) : resolve(read))));

/** readExactly on the thread pool: the event loop writes the previous chunk meanwhile. */
const readExactlyAsync = async (fd: number, target: Buffer, size: number, position: number, name: string) => {
  let done = 0;
  while (done < size) {
    const read = await readAt(fd, target, done, size - done, position + done);
    if (read === 0) throw shrank(name);
    done += read;
  }
};

/**
 * The context as tar bytes, in batches of about BATCH_BYTES: a depth-first walk in sorted
 * order (directories before their contents), like the docker CLI's. A slow consumer pauses
 * the walk (the generator runs only when the stream wants more), so memory stays flat.
 */
async function* tarChunks(root: string, matcher: Matcher, acquire: Acquire): AsyncGenerator<Buffer> {
  let batch = await acquire();
  let used = 0;
  let lastYield = performance.now();
  // The batch so far; the next one comes from `acquire` once the consumer has taken this one.
  async function* take() {
    yield batch.subarray(0, used);
    batch = await acquire();
    used = 0;
  }
  const append = (bytes: Buffer) => {
    bytes.copy(batch, used);
    used += bytes.length;
  };
  const header = (entry: TarHeader) => {
    used += writeTarHeader(entry, batch, used);
  };
  const zeros = (count: number) => {
    batch.fill(0, used, used + count);
    used += count;
  };

  const base = root.endsWith("/") ? root : `${root}/`;
  const stack: Frame[] = [{ rel: "", names: listSorted(root), next: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.names.length) {
      stack.pop();
      continue;
    }
    const name = frame.names[frame.next++];
    const rel = frame.rel ? `${frame.rel}/${name}` : name;
    const absolute = base + rel;
    const stat = fs.lstatSync(absolute);
    const ignored = matcher.isIgnored(rel);
    // The docker CLI sends root as owner of everything; keep the real modes and mtimes.
    const mtimeSeconds = (stat.mtimeMs / 1000) | 0;
    // Room for the largest header (PAX: a few blocks) without checking each time.
    if (BATCH_BYTES - used < MAX_HEADER_BYTES) yield* take();
    if (stat.isDirectory()) {
      if (!ignored) header({ name: `${rel}/`, type: "directory", mode: modeOf(stat, "directory"), mtimeSeconds, size: 0 });
      if (matcher.shouldDescend(rel)) stack.push({ rel, names: listSorted(absolute), next: 0 });
    } else if (ignored) {
      continue;
    } else if (stat.isSymbolicLink()) {
      // Sent as a link, never followed: the builder resolves it inside the image.
      const linkname = fs.readlinkSync(absolute);
      header({ name: rel, type: "symlink", mode: modeOf(stat, "symlink"), mtimeSeconds, size: 0, linkname });
    } else if (stat.isFile()) {
      const size = stat.size;
      header({ name: rel, type: "file", mode: modeOf(stat, "file"), mtimeSeconds, size });
      if (size > 0) {
        // O_NOFOLLOW: a file swapped for a symlink after lstat is refused, not followed.
        const fd = fs.openSync(absolute, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
        try {
          if (size <= SMALL_FILE_BYTES) {
            if (BATCH_BYTES - used < size + 512) yield* take();
            readExactly(fd, batch, used, size, 0, rel);
            used += size;
          } else {
            if (used) yield* take();
            for (let position = 0; position < size; position += READ_CHUNK) {
              const length = Math.min(READ_CHUNK, size - position);
              const chunk = await acquire();
              await readExactlyAsync(fd, chunk, length, position, rel);
              yield chunk.subarray(0, length);
            }
          }
        } finally {
          fs.closeSync(fd);
        }
        zeros(paddingFor(size));
      }
    }
    // Sockets, fifos and devices are skipped, as the docker CLI skips sockets.
    if (used >= BATCH_BYTES / 2) yield* take();
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  append(END_OF_ARCHIVE);
  yield* take();
}

/** A buffer of BATCH_BYTES to fill: a new one, or one the consumer has finished with. */
type Acquire = () => Buffer | Promise<Buffer>;

const allocateBatch: Acquire = () => Buffer.allocUnsafe(BATCH_BYTES);

// Buffers a piped context cycles through: the walk fills some while the socket writes others.
const POOL_BUFFERS = 8;

/**
 * Batches handed back by the destination's write callbacks (the bytes are in the kernel then),
 * so a piped context allocates POOL_BUFFERS buffers whatever its size: fresh batches for every
 * megabyte left garbage for V8 to collect in bursts, 150-200 MiB of it on a 1 GiB context.
 */
const createBatchPool = () => {
  const owners = new Map<ArrayBufferLike, Buffer>();
  const free: Buffer[] = [];
  const waiting: Array<{ resolve: (buffer: Buffer) => void; reject: (error: Error) => void }> = [];
  let failure: Error | null = null;
  return {
    acquire: (): Buffer | Promise<Buffer> => {
      if (failure) throw failure;
      const buffer = free.pop();
      if (buffer) return buffer;
      if (owners.size < POOL_BUFFERS) {
        const fresh = Buffer.allocUnsafeSlow(BATCH_BYTES);
        owners.set(fresh.buffer, fresh);
        return fresh;
      }
      return new Promise<Buffer>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    release: (chunk: Buffer) => {
      const buffer = owners.get(chunk.buffer);
      if (!buffer) return;
      const next = waiting.shift();
      if (next) next.resolve(buffer);
      else free.push(buffer);
    },
    /** The destination went away: a walk waiting for a buffer fails instead of waiting forever. */
    fail: (error: Error) => {
      failure = error;
      for (const next of waiting.splice(0)) next.reject(error);
    },
  };
};

/**
 * A context's tar: read it as any stream (each batch a new buffer), or pipe it (what
 * docker-modem does with a build's body, and `stream.pipeline`): then the batches are written
 * with `write(chunk, callback)` and reused once written, so memory stays flat without the GC.
 */
class ContextTarStream extends Readable {
  private walk: AsyncGenerator<Buffer> | null = null;
  private piping = false;

  constructor(private readonly chunks: (acquire: Acquire) => AsyncGenerator<Buffer>) {
    // Object mode: each batch is handed on as it is; a byte-mode buffer would concatenate (copy)
    // the queued batches on every read (profiled: a third of the CPU time on large files).
    super({ objectMode: true, highWaterMark: 2 });
  }

  override _read() {
    if (this.piping) return;
    this.walk ??= this.chunks(allocateBatch);
    this.walk.next().then(
      (next) => this.push(next.done ? null : next.value),
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    const walk = this.walk;
    this.walk = null;
    void walk?.return(undefined).catch(() => undefined);
    callback(error);
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    // Already being read another way, or piped twice: the ordinary pipe, fresh batches.
    if (this.walk || this.piping) return super.pipe(destination, options);
    this.piping = true;
    // An http.ClientRequest (the engine's socket) is a stream but not a Writable: its write
    // callback, `drain` and `close` are all this needs.
    void this.writeTo(destination as unknown as Destination, options?.end ?? true);
    return destination;
  }

  private async writeTo(destination: Destination, end: boolean) {
    const pool = createBatchPool();
    const closedEarly = () => new Error("the build context's destination closed before the context was sent");
    const gone = () => pool.fail(closedEarly());
    destination.once("close", gone);
    this.once("close", gone);
    const walk = (this.walk = this.chunks(pool.acquire));
    try {
      for await (const chunk of walk) {
        if (this.destroyed) return;
        if (destination.destroyed) throw closedEarly();
        // The pool is the backpressure: the walk fills the next buffer while this one is written,
        // and waits once all POOL_BUFFERS are queued (waiting for each `drain` left the pipe idle).
        destination.write(chunk, () => pool.release(chunk));
      }
      if (this.destroyed) return;
      if (end) destination.end();
      // As a piped Readable ends: `end` for pipeline() and end-of-stream, which wait for it.
      this.push(null);
      this.resume();
    } catch (error) {
      if (!this.destroyed) this.destroy(error as Error);
    } finally {
      destination.off("close", gone);
      this.off("close", gone);
    }
  }
}

type Destination = Pick<Writable, "write" | "end" | "once" | "off" | "destroyed">;

/**
 * Returns a tar stream of `dir`, produced lazily with backpressure: the walk advances only as
 * the stream is read, so memory stays flat whatever the context's size.
 */
export const createContextTarStream = (dir: string, opts: CreateTarStreamOptions = {}): NodeJS.ReadableStream =>
  new ContextTarStream(async function* (acquire) {
    const matcher = createMatcher(await readDockerignore(dir), opts.dockerfile ?? "Dockerfile");
    yield* tarChunks(dir, matcher, acquire);
  });
