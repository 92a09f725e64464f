import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openStreamHash, pendingHashBytes } from "@/lib/content/stream-hash";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

// Cuts `bytes` into chunks of the given sizes (cycled), as a socket would.
const chunksOf = (bytes: Buffer, sizes: number[]) => {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length];
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
};

describe("SHA-256 on the hashing thread", () => {
  it("hashes the stream and ranges that start and end anywhere in its chunks, chunks bigger than a batch included", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const ranges = [
      [0, 1],
      [5, 4096],
      [4000, 70_000],
      [1024 * 1024 - 3, 1024 * 1024 + 9],
      [bytes.length - 10, 10],
    ];
    const hash = openStreamHash();
    const got = new Map<number, string>();
    const chunks = chunksOf(bytes, [1, 511, 65_536, 2 * 1024 * 1024, 3000]);
    let pending = ranges.map((range, index) => ({ index, start: range[0], length: range[1] }));
    for (const chunk of chunks) {
      // A range is registered before the chunk holding its first byte is written, as the indexer does.
      const end = hash.written + chunk.length;
      for (const range of pending.filter((range) => range.start < end)) hash.hashRange(range.start, range.length, (hex) => got.set(range.index, hex));
      pending = pending.filter((range) => range.start >= end);
      hash.write(chunk);
    }
    expect(await hash.end()).toBe(sha256(bytes));
    // Nothing left in flight after a short last batch (else the thread stays referenced and the process never exits).
    expect(pendingHashBytes()).toBe(0);
    ranges.forEach(([start, length], index) => expect(got.get(index)).toBe(sha256(bytes.subarray(start, start + length))));
  });

  it("keeps concurrent streams apart and lets an aborted one go without a callback", async () => {
    const [a, b, c] = [randomBytes(200_000), randomBytes(300_000), randomBytes(100_000)];
    const [hashA, hashB, hashC] = [openStreamHash(), openStreamHash(), openStreamHash()];
    let aborted = 0;
    hashC.hashRange(0, c.length, () => (aborted += 1));
    for (let at = 0; at < 300_000; at += 10_000) {
      hashA.write(a.subarray(at, at + 10_000));
      hashB.write(b.subarray(at, at + 10_000));
      hashC.write(c.subarray(at, at + 10_000));
      if (at === 50_000) hashC.abort();
    }
    expect(await Promise.all([hashA.end(), hashB.end()])).toEqual([sha256(a), sha256(b)]);
    expect(aborted).toBe(0);
  });

  it("bounds what is in flight: a writer that waits on drained() never holds more than the backlog limit", async () => {
    const hash = openStreamHash();
    const chunk = randomBytes(1024 * 1024);
    const whole = createHash("sha256");
    let waited = 0;
    for (let i = 0; i < 80; i += 1) {
      hash.write(chunk);
      whole.update(chunk);
      if (hash.backlogged) {
        waited += 1;
        await hash.drained();
        expect(hash.backlogged).toBe(false);
      }
    }
    expect(await hash.end()).toBe(whole.digest("hex"));
    // Writes between two awaits are synchronous: the thread's answers cannot arrive, so the limit is reached.
    expect(waited).toBeGreaterThan(0);
  });
});
