// The packer writes entries into 1 MiB batches and reads files over 256 KiB in 1 MiB pieces:
// entries that straddle batches and pieces must come out whole, in order, readable by GNU tar.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createContextTarStream } from "./create-tar-stream";
import { makeTempDir } from "./test-helpers";

let dir: string;
const expected = new Map<string, string>();
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

beforeAll(async () => {
  dir = await makeTempDir();
  const sizes = [0, 1, 511, 512, 513, 256 * 1024, 256 * 1024 + 1, 1024 * 1024, 1024 * 1024 + 7, 3 * 1024 * 1024 + 100];
  for (const [index, size] of sizes.entries()) {
    const data = Buffer.alloc(size, index + 1);
    await fs.writeFile(path.join(dir, `edge-${String(index).padStart(2, "0")}.bin`), data);
    expected.set(`edge-${String(index).padStart(2, "0")}.bin`, sha(data));
  }
  // 1,500 small files (about 3.5 MiB): several batches.
  for (let f = 0; f < 1500; f += 1) {
    const sub = `many/d${Math.floor(f / 100)}`;
    if (f % 100 === 0) await fs.mkdir(path.join(dir, sub), { recursive: true });
    const data = Buffer.from(`${f}:`.repeat(1 + (f % 700)));
    await fs.writeFile(path.join(dir, sub, `f${f}.txt`), data);
    expected.set(`${sub}/f${f}.txt`, sha(data));
  }
}, 60_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const collect = async () => {
  const chunks: Buffer[] = [];
  for await (const chunk of createContextTarStream(dir)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

it("packs files across batch and read boundaries whole, in sorted depth-first order, as GNU tar reads them", async () => {
  const archive = await collect();
  expect(archive.length % 512).toBe(0);
  const listing = spawnSync("tar", ["-t"], { input: archive, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  expect(listing.status).toBe(0);
  const names = listing.stdout.trim().split("\n");
  const files = names.filter((name) => !name.endsWith("/"));
  expect(new Set(files)).toEqual(new Set(expected.keys()));
  // Directories before their contents, siblings sorted (the order readdir + sort gives).
  expect(names.indexOf("many/")).toBeLessThan(names.indexOf("many/d0/"));
  expect(names.indexOf("many/d0/")).toBeLessThan(names.indexOf("many/d0/f0.txt"));
  expect(names.indexOf("many/d0/f0.txt")).toBeLessThan(names.indexOf("many/d0/f1.txt"));
  const root = await makeTempDir();
  try {
    const extracted = spawnSync("tar", ["-x", "-C", root], { input: archive, maxBuffer: 64 * 1024 * 1024 });
    expect(extracted.status).toBe(0);
    for (const [name, hash] of expected) expect(sha(await fs.readFile(path.join(root, name))), name).toBe(hash);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}, 120_000);

it("fails the stream when a file shrinks between its stat and its read", async () => {
  const shrinking = await makeTempDir();
  try {
    // Larger than the stream reads ahead (2 batches of 1 MiB), so the truncation lands before the end.
    await fs.writeFile(path.join(shrinking, "a.bin"), Buffer.alloc(32 * 1024 * 1024, 1));
    const stream = createContextTarStream(shrinking);
    const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    await iterator.next();
    await fs.truncate(path.join(shrinking, "a.bin"), 1024);
    const drain = async () => {
      for (let result = await iterator.next(); !result.done; result = await iterator.next()) void result;
    };
    await expect(drain()).rejects.toThrow(/changed size/);
  } finally {
    await fs.rm(shrinking, { recursive: true, force: true });
  }
}, 60_000);
