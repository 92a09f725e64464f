import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openContext } from "./open-context";
import { makeTempDir, readTar, writeFiles } from "./test-helpers";

let base: string;

beforeAll(async () => {
  base = await makeTempDir();
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

const openDir = async (name: string, files: Record<string, string>) => {
  await writeFiles(path.join(base, name), files);
  return openContext({ kind: "DIRECTORY", path: name }, { roots: [base] });
};

describe("createTarStream", () => {
  it("honours .dockerignore, with ! exceptions and **, and always sends the Dockerfile and .dockerignore", async () => {
    const context = await openDir("ignore", {
      ".dockerignore": [
        "# comments and blank lines are fine",
        "",
        "**/*.pyc",
        "node_modules",
        "docs",
        "!docs/keep.md",
        "*.env",
        "Dockerfile",
        ".dockerignore",
      ].join("\n"),
      "Dockerfile": "FROM scratch\n",
      "app/main.py": "print('hi')\n",
      "app/cache.pyc": "x",
      "app/deep/er/mod.pyc": "x",
      "app/deep/er/mod.py": "x",
      "top.pyc": "x",
      "node_modules/pkg/index.js": "x",
      "docs/README.md": "x",
      "docs/keep.md": "kept",
      "secret.env": "TOKEN=1",
      "nested/local.env": "kept: * does not cross directories",
    });
    const entries = await readTar(context.createTarStream());
    expect([...entries.keys()].sort()).toEqual(
      [
        ".dockerignore",
        "Dockerfile",
        "app/",
        "app/deep/",
        "app/deep/er/",
        "app/deep/er/mod.py",
        "app/main.py",
        "docs/keep.md",
        "nested/",
        "nested/local.env",
      ].sort(),
    );
    expect(entries.get("docs/keep.md")?.content).toBe("kept");
    expect(entries.get("Dockerfile")?.content).toBe("FROM scratch\n");
  });

  it("sends a Dockerfile from an ignored subdirectory when it is the one being built", async () => {
    const context = await openDir("ignored-dockerfile", {
      ".dockerignore": "build\n",
      "build/Dockerfile.prod": "FROM scratch\n",
      "build/other.txt": "x",
      "src/a.txt": "a",
    });
    const withDefault = await readTar(context.createTarStream());
    expect(withDefault.has("build/Dockerfile.prod")).toBe(false);
    const entries = await readTar(context.createTarStream({ dockerfile: "build/Dockerfile.prod" }));
    expect(entries.has("build/Dockerfile.prod")).toBe(true);
    expect(entries.has("build/other.txt")).toBe(false);
    expect(entries.has("src/a.txt")).toBe(true);
  });

  it("preserves modes, directories and symlinks without following them", async () => {
    const dir = path.join(base, "modes");
    await writeFiles(dir, { "bin/run.sh": "#!/bin/sh\necho hi\n", "data/private.txt": "p", "data/empty": "" });
    await fs.chmod(path.join(dir, "bin/run.sh"), 0o755);
    await fs.chmod(path.join(dir, "data/private.txt"), 0o640);
    await fs.chmod(path.join(dir, "data"), 0o750);
    await fs.symlink("bin/run.sh", path.join(dir, "run"));
    await fs.symlink("/etc/passwd", path.join(dir, "passwd"));
    await fs.symlink("/etc", path.join(dir, "etc"));
    const context = await openContext({ kind: "DIRECTORY", path: "modes" }, { roots: [base] });
    const entries = await readTar(context.createTarStream());
    expect(entries.get("bin/run.sh")).toMatchObject({ type: "file", mode: 0o755, content: "#!/bin/sh\necho hi\n" });
    expect(entries.get("data/private.txt")).toMatchObject({ type: "file", mode: 0o640 });
    expect(entries.get("data/empty")).toMatchObject({ type: "file", size: 0 });
    expect(entries.get("data/")).toMatchObject({ type: "directory", mode: 0o750 });
    expect(entries.get("run")).toMatchObject({ type: "symlink", linkname: "bin/run.sh" });
    expect(entries.get("passwd")).toMatchObject({ type: "symlink", linkname: "/etc/passwd", size: 0, content: "" });
    expect(entries.get("etc")).toMatchObject({ type: "symlink", linkname: "/etc" });
    expect([...entries.keys()].some((name) => name.startsWith("etc/"))).toBe(false);
  });

  it("keeps long paths intact", async () => {
    const long = `${"a".repeat(120)}/${"b".repeat(120)}.txt`;
    const context = await openDir("long", { [long]: "deep" });
    const entries = await readTar(context.createTarStream());
    expect(entries.get(long)?.content).toBe("deep");
  });

  it("streams a 200 MB file without holding it in memory", { timeout: 120_000 }, async () => {
    const dir = path.join(base, "big");
    await writeFiles(dir, { "Dockerfile": "FROM scratch\n" });
    const size = 200 * 1024 * 1024;
    // Sparse: costs no disk, but reads back as 200 MB of zeros.
    const handle = await fs.open(path.join(dir, "big.bin"), "w");
    await handle.truncate(size);
    await handle.close();
    const context = await openContext({ kind: "DIRECTORY", path: "big" }, { roots: [base] });

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let bytes = 0;
    await pipeline(
      context.createTarStream(),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          peak = Math.max(peak, process.memoryUsage().rss);
          // A slow consumer, like a socket to the engine: backpressure must hold.
          if (bytes % (16 * 1024 * 1024) < chunk.length) setTimeout(callback, 5);
          else callback();
        },
      }),
    );
    expect(bytes).toBeGreaterThan(size);
    // Issue 16's bound for packing (< 150 MiB of RSS growth): far below the 200 MB file. Piped, the
    // batches are reused (a few MiB in all), so the growth is the test's own allocations.
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  });

  it("writes a piped context from a few reused buffers, byte for byte what a reader gets", { timeout: 60_000 }, async () => {
    const dir = path.join(base, "pooled");
    const files: Record<string, string> = { "Dockerfile": "FROM scratch\n" };
    for (let i = 0; i < 300; i++) files[`small/${String(i).padStart(3, "0")}.txt`] = `file ${i} `.repeat(i * 7);
    await writeFiles(dir, files);
    // 12 MiB of varied bytes: more read chunks than the pool has buffers, so they must be reused.
    await fs.writeFile(path.join(dir, "large.bin"), Buffer.from(Array.from({ length: 12 * 1024 * 1024 }, (_, i) => (i * 31 + (i >> 12)) & 255)));
    const context = await openContext({ kind: "DIRECTORY", path: "pooled" }, { roots: [base] });

    const read = createHash("sha256");
    for await (const chunk of context.createTarStream()) read.update(chunk as Buffer);
    const piped = createHash("sha256");
    const buffers = new Set<ArrayBufferLike>();
    let writes = 0;
    await pipeline(
      context.createTarStream(),
      new Writable({
        // Room for many batches: the walk runs ahead of the writes and must wait for a buffer.
        highWaterMark: 16 * 1024 * 1024,
        write(chunk: Buffer, _encoding, callback) {
          buffers.add(chunk.buffer);
          writes++;
          // Written later, as a socket does: the buffer must not be refilled before this.
          setTimeout(() => {
            piped.update(chunk);
            callback();
          }, 1);
        },
      }),
    );
    expect(piped.digest("hex")).toBe(read.digest("hex"));
    expect(writes).toBeGreaterThan(12);
    // The pool: 8 buffers of 1 MiB (POOL_BUFFERS), however many batches the context takes.
    expect(buffers.size).toBeLessThanOrEqual(8);
  });

  it("fails a piped context whose destination closes before the end, instead of waiting for it", async () => {
    const context = await openDir("closed-early", { "Dockerfile": "FROM scratch\n", "a.bin": "a".repeat(3 * 1024 * 1024) });
    const stream = context.createTarStream();
    const destination = new Writable({
      write(_chunk, _encoding, _callback) {
        // Never written: the engine's connection went away with the bytes.
        destination.destroy();
      },
    });
    await expect(pipeline(stream, destination)).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((stream as unknown as { destroyed: boolean }).destroyed).toBe(true);
  });

  it("fails the stream when .dockerignore is a symlink leading out of the context", async () => {
    const context = await openDir("ignore-link", { "a.txt": "a" });
    await fs.symlink("/etc/hostname", path.join(context.dir, ".dockerignore"));
    await expect(readTar(context.createTarStream())).rejects.toThrow(/outside the build context/);
  });

  it("fails the stream when the context cannot be read", async () => {
    const context = await openDir("vanishing", { "a.txt": "a" });
    await fs.rm(context.dir, { recursive: true });
    await expect(readTar(context.createTarStream())).rejects.toThrow();
  });
});
