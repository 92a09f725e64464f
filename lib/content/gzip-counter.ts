// Counts the gzip size of a byte stream without keeping it (issue 17: the compressed size of a
// layer when no registry says it). zlib at its default level (6), the level `docker push` uses
// (Go's compress/gzip DefaultCompression): the two encoders differ slightly, hence "estimated".
// zlib runs on libuv's thread pool, so the parse on the main thread is not held up.
import { createGzip } from "node:zlib";

export type GzipCounter = { write: (chunk: Buffer) => Promise<void> | void; end: () => Promise<number>; destroy: () => void };

export const createGzipCounter = (): GzipCounter => {
  const gzip = createGzip();
  let bytes = 0;
  let failure: Error | null = null;
  gzip.on("data", (chunk: Buffer) => (bytes += chunk.length));
  gzip.on("error", (error) => (failure = error));
  const ended = new Promise<void>((resolve) => gzip.once("end", () => resolve()));
  return {
    write: (chunk) => {
      if (failure) throw failure;
      if (gzip.write(chunk)) return;
      return new Promise((resolve) => gzip.once("drain", () => resolve()));
    },
    end: async () => {
      gzip.end();
      await ended;
      if (failure) throw failure;
      return bytes;
    },
    destroy: () => gzip.destroy(),
  };
};
