// Helpers for the build-context tests: temp dirs, tars built in memory, tars read back, refusals.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { expect } from "vitest";
import { AppError, type AppErrorCode } from "@/lib/errors";

export type TarEntry = {
  type: string;
  mode: number;
  size: number;
  linkname: string | null;
  content: string;
};

export const makeTempDir = async (prefix = "layerboard-test-"): Promise<string> =>
  fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));

export const writeFiles = async (root: string, files: Record<string, string>): Promise<void> => {
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fs.writeFile(path.join(root, name), content);
  }
};

/** Reads a tar stream back into a map of entry name → entry (contents as UTF-8). */
export const readTar = async (stream: NodeJS.ReadableStream): Promise<Map<string, TarEntry>> => {
  const extract = tar.extract();
  const entries = new Map<string, TarEntry>();
  // pipeline, not pipe: an error in the source must fail the read, not hang it.
  const feeding = pipeline(stream, extract as unknown as NodeJS.WritableStream);
  feeding.catch((error: Error) => extract.destroy(error));
  for await (const entry of extract) {
    const parts: Buffer[] = [];
    for await (const chunk of entry) parts.push(chunk as Buffer);
    const { header } = entry;
    entries.set(header.name, {
      type: header.type,
      mode: header.mode & 0o7777,
      size: header.size,
      linkname: header.linkname ?? null,
      content: Buffer.concat(parts).toString("utf8"),
    });
  }
  await feeding;
  return entries;
};

export type TarSpec = Partial<tar.Header> & { name: string; content?: string | Buffer };

/** Builds a tar (gzipped when asked) in memory from raw headers, including hostile ones. */
export const buildTar = async (specs: TarSpec[], options: { gzip?: boolean } = {}): Promise<Buffer> => {
  const pack = tar.pack();
  const collected = (async () => {
    const parts: Buffer[] = [];
    for await (const chunk of pack) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  })();
  for (const { content, ...header } of specs) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (content !== undefined) pack.entry(header, content, done);
      else pack.entry(header, done);
    });
  }
  pack.finalize();
  const data = await collected;
  return options.gzip ? gzipSync(data) : data;
};

export const listTempDirs = async (prefix: string): Promise<string[]> =>
  (await fs.readdir(os.tmpdir())).filter((name) => name.startsWith(prefix)).sort();

export const exists = (target: string): Promise<boolean> =>
  fs.lstat(target).then(
    () => true,
    () => false,
  );

/** Expects `promise` to reject with an AppError (with `code`, when given) and returns it. */
export const expectAppError = async (promise: Promise<unknown>, code?: AppErrorCode): Promise<AppError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  if (code) expect((error as AppError).code).toBe(code);
  return error as AppError;
};
