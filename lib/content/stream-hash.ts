// SHA-256 of layer tars, and of byte ranges inside them (the regular files), on a worker thread.
// Hashing was half of the content analysis' main-thread time (profiled on the single-stage
// example: 2.5 s of 5 s CPU for a 680 MiB export, the diff_id and the file hashes each hashing
// the same bytes once). Each layer's bytes are copied once into a batch that is transferred (not
// cloned) to the thread, which hashes the whole stream for the diff_id and the registered ranges
// for the files; the parse goes on meanwhile on the main thread, bounded by BACKLOG_LIMIT_BYTES
// in flight. One thread per process, shared by concurrent analyses, started on first use and
// unreferenced while idle (it never keeps a process alive).
import { Worker } from "node:worker_threads";

/** Bytes copied per message to the thread. */
const BATCH_BYTES = 1024 * 1024;
/** Bytes sent and not hashed yet, above which writers should wait (`drained()`): bounds memory. */
export const BACKLOG_LIMIT_BYTES = 32 * 1024 * 1024;

// Operations, in stream order: [OPEN, stream] [RANGE, stream, range, start, length]
// [DATA, stream, from, to] (bytes of this message) [CLOSE, stream] [DROP, stream].
const OPEN = 0;
const RANGE = 1;
const DATA = 2;
const CLOSE = 3;
const DROP = 4;
type Op = [number, number, ...number[]];
/** [id, hex]: a range's digest, or a closed stream's (stream ids and range ids never collide). */
type Done = [number, string];

// Plain JavaScript: the thread loads no TypeScript and no application module.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const streams = new Map();
parentPort.on("message", ({ ops, bytes, fill }) => {
  const data = Buffer.from(bytes);
  const done = [];
  for (const op of ops) {
    const s = streams.get(op[1]);
    if (op[0] === ${OPEN}) streams.set(op[1], { hash: createHash("sha256"), offset: 0, ranges: [], next: 0 });
    else if (op[0] === ${RANGE}) s.ranges.push({ id: op[2], start: op[3], end: op[3] + op[4], hash: createHash("sha256") });
    else if (op[0] === ${DATA}) {
      const chunk = data.subarray(op[2], op[3]);
      const from = s.offset, to = from + chunk.length;
      s.hash.update(chunk);
      while (s.next < s.ranges.length) {
        const r = s.ranges[s.next];
        if (r.start >= to) break;
        const a = Math.max(r.start, from), b = Math.min(r.end, to);
        if (b > a) r.hash.update(chunk.subarray(a - from, b - from));
        if (r.end > to) break;
        done.push([r.id, r.hash.digest("hex")]);
        s.ranges[s.next++] = null;
      }
      if (s.next > 4096) { s.ranges = s.ranges.slice(s.next); s.next = 0; }
      s.offset = to;
    } else if (op[0] === ${CLOSE}) { streams.delete(op[1]); done.push([op[1], s.hash.digest("hex")]); }
    else streams.delete(op[1]);
  }
  parentPort.postMessage({ done, bytes: fill });
});
`;

type StreamState = {
  onRange: Map<number, (hex: string) => void>;
  settle: { resolve: (hex: string) => void; reject: (error: Error) => void } | null;
  failed: Error | null;
};

class HashThread {
  private worker: Worker | null = null;
  private ops: Op[] = [];
  private batch: Buffer | null = null;
  private fill = 0;
  private inFlight = 0;
  private nextId = 1;
  private readonly streams = new Map<number, StreamState>();
  private readonly rangeStream = new Map<number, number>();
  private waiters: Array<() => void> = [];

  id() {
    return this.nextId++;
  }

  open(stream: number, state: StreamState) {
    this.streams.set(stream, state);
    this.ops.push([OPEN, stream]);
  }

  range(stream: number, range: number, start: number, length: number, onDigest: (hex: string) => void) {
    this.streams.get(stream)!.onRange.set(range, onDigest);
    this.rangeStream.set(range, stream);
    this.ops.push([RANGE, stream, range, start, length]);
  }

  data(stream: number, chunk: Buffer) {
    if (chunk.length > BATCH_BYTES) {
      this.flush();
      this.batch = Buffer.from(new ArrayBuffer(chunk.length));
    } else if (this.batch && this.fill + chunk.length > BATCH_BYTES) this.flush();
    this.batch ??= Buffer.from(new ArrayBuffer(BATCH_BYTES));
    chunk.copy(this.batch, this.fill);
    this.ops.push([DATA, stream, this.fill, this.fill + chunk.length]);
    this.fill += chunk.length;
    if (this.fill >= BATCH_BYTES) this.flush();
  }

  close(stream: number) {
    this.ops.push([CLOSE, stream]);
    this.flush();
  }

  drop(stream: number) {
    const state = this.streams.get(stream);
    for (const range of state?.onRange.keys() ?? []) this.rangeStream.delete(range);
    this.streams.delete(stream);
    if (this.worker || this.ops.length) {
      this.ops.push([DROP, stream]);
      this.flush();
    }
  }

  get backlogged() {
    return this.inFlight >= BACKLOG_LIMIT_BYTES;
  }

  get pendingBytes() {
    return this.inFlight;
  }

  drained(): Promise<void> {
    if (!this.backlogged) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private flush() {
    if (!this.ops.length) return;
    const worker = this.start();
    const bytes = this.batch ? (this.batch.buffer as ArrayBuffer) : new ArrayBuffer(0);
    this.inFlight += this.fill;
    // `fill`, not the batch's length, comes back: a short last batch must not take more off inFlight than it put on.
    worker.postMessage({ ops: this.ops, bytes, fill: this.fill }, [bytes]);
    worker.ref();
    this.ops = [];
    this.batch = null;
    this.fill = 0;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on("message", (message: { done: Done[]; bytes: number }) => this.receive(message));
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) => this.fail(new Error(`the hashing thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private receive({ done, bytes }: { done: Done[]; bytes: number }) {
    for (const [id, hex] of done) {
      const stream = this.rangeStream.get(id);
      if (stream !== undefined) {
        this.rangeStream.delete(id);
        const state = this.streams.get(stream);
        state?.onRange.get(id)?.(hex);
        state?.onRange.delete(id);
        continue;
      }
      const state = this.streams.get(id);
      this.streams.delete(id);
      // Ranges past the end of a cut-short stream never complete.
      for (const range of state?.onRange.keys() ?? []) this.rangeStream.delete(range);
      state?.settle?.resolve(hex);
    }
    this.inFlight -= bytes;
    if (!this.backlogged) this.wake();
    if (this.inFlight === 0 && !this.ops.length) this.worker?.unref();
  }

  // The thread died: every open stream fails (its end() rejects), writers stop waiting.
  private fail(error: Error) {
    if (!this.worker) return;
    this.worker.removeAllListeners();
    void this.worker.terminate();
    this.worker = null;
    this.inFlight = 0;
    this.rangeStream.clear();
    for (const state of this.streams.values()) {
      state.failed = error;
      state.settle?.reject(error);
      state.settle = null;
    }
    this.streams.clear();
    this.wake();
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

let thread: HashThread | null = null;

/** Bytes sent to the thread and not hashed yet: 0 once every stream ended (the thread is then unreferenced). */
export const pendingHashBytes = (): number => thread?.pendingBytes ?? 0;

export type StreamHash = {
  /** Bytes written so far: the stream offset of the next chunk. */
  readonly written: number;
  /** Feeds the next bytes; the chunk may be reused by the caller once this returns (it is copied). */
  write: (chunk: Buffer) => void;
  /**
   * Also hashes bytes [start, start + length) of the stream (they may be written already only if
   * not yet sent: register a range before writing the chunk that holds its start). `onDigest`
   * is called with the hex digest before `end()` resolves.
   */
  hashRange: (start: number, length: number, onDigest: (hex: string) => void) => void;
  /** True when the caller should `await drained()` before writing more. */
  readonly backlogged: boolean;
  drained: () => Promise<void>;
  /** The stream's hex digest, after every range's `onDigest`. */
  end: () => Promise<string>;
  /** Stops hashing this stream (a parse failed); no callback is called after it. */
  abort: () => void;
};

/** A SHA-256 over a byte stream (and ranges of it), computed off the main thread. */
export const openStreamHash = (): StreamHash => {
  thread ??= new HashThread();
  const pool = thread;
  const stream = pool.id();
  const state: StreamState = { onRange: new Map(), settle: null, failed: null };
  pool.open(stream, state);
  let written = 0;
  let ended = false;
  return {
    get written() {
      return written;
    },
    write: (chunk) => {
      if (state.failed || ended || !chunk.length) return;
      pool.data(stream, chunk);
      written += chunk.length;
    },
    hashRange: (start, length, onDigest) => {
      if (state.failed || ended) return;
      pool.range(stream, pool.id(), start, length, onDigest);
    },
    get backlogged() {
      return pool.backlogged;
    },
    drained: () => pool.drained(),
    end: () => {
      if (state.failed) return Promise.reject(state.failed);
      ended = true;
      return new Promise<string>((resolve, reject) => {
        state.settle = { resolve, reject };
        pool.close(stream);
      });
    },
    abort: () => {
      ended = true;
      pool.drop(stream);
    },
  };
};
