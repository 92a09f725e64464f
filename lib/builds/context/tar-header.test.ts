import { describe, expect, it } from "vitest";
import tar from "tar-stream";

type Header = Partial<tar.Header> & { name: string };
import { encodeTarHeader, paddingFor } from "./tar-header";

// tar-stream's pack is the reference: the packer used it until its per-entry streams proved slow.
const packWithTarStream = async (header: Header): Promise<Buffer> => {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (chunk) => void chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve) => pack.on("end", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    if (header.type === "file") sink.end(Buffer.alloc(header.size ?? 0, 0x61));
  });
  pack.finalize();
  await ended;
  // Only the header part: drop the body, its padding and the two end blocks.
  const all = Buffer.concat(chunks);
  const body = header.type === "file" ? (header.size ?? 0) + paddingFor(header.size ?? 0) : 0;
  return all.subarray(0, all.length - body - 1024);
};

const mtime = new Date(1_700_000_123_000);
const cases: Array<{ what: string; header: Header }> = [
  { what: "a small file", header: { name: "src/main.py", type: "file", mode: 0o644, size: 1234, mtime, uid: 0, gid: 0 } },
  { what: "an empty file", header: { name: "empty", type: "file", mode: 0o600, size: 0, mtime, uid: 0, gid: 0 } },
  { what: "a directory", header: { name: "src/", type: "directory", mode: 0o755, mtime, uid: 0, gid: 0 } },
  { what: "a symlink", header: { name: "link", type: "symlink", mode: 0o777, linkname: "../target/file", mtime, uid: 0, gid: 0 } },
  { what: "a setuid executable", header: { name: "bin/tool", type: "file", mode: 0o4755, size: 1, mtime, uid: 0, gid: 0 } },
  { what: "a name split into prefix and name", header: { name: `${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(90)}.txt`, type: "file", mode: 0o644, size: 7, mtime, uid: 0, gid: 0 } },
  { what: "a name too long for ustar (PAX)", header: { name: `${"x".repeat(120)}.txt`, type: "file", mode: 0o644, size: 3, mtime, uid: 0, gid: 0 } },
  { what: "a non-ASCII name (PAX)", header: { name: "données/été.txt", type: "file", mode: 0o644, size: 2, mtime, uid: 0, gid: 0 } },
  { what: "a long link target (PAX)", header: { name: "l", type: "symlink", mode: 0o777, linkname: "t/".repeat(80), mtime, uid: 0, gid: 0 } },
  { what: "a large file (size above 8 GiB, base-256)", header: { name: "huge.bin", type: "file", mode: 0o644, size: 9 * 1024 ** 3, mtime, uid: 0, gid: 0 } },
];

describe("encodeTarHeader", () => {
  it.each(cases.filter((c) => !c.what.startsWith("a large")))("encodes $what byte for byte as tar-stream does", async ({ header }) => {
    const expected = await packWithTarStream(header);
    const actual = encodeTarHeader({
      name: header.name,
      type: header.type as "file" | "directory" | "symlink",
      mode: header.mode!,
      mtimeSeconds: header.mtime!.getTime() / 1000,
      size: header.size ?? 0,
      linkname: header.linkname ?? undefined,
    });
    expect(actual.equals(expected)).toBe(true);
  });

  it("writes sizes of 8 GiB and more in base-256, as tar-stream does, and tar-stream reads them back", async () => {
    const header = encodeTarHeader({ name: "huge.bin", type: "file", mode: 0o644, mtimeSeconds: 1_700_000_123, size: 9 * 1024 ** 3 });
    expect(header[124]).toBe(0x80);
    const extract = tar.extract();
    const seen = new Promise<tar.Header>((resolve) => extract.once("entry", (entry) => resolve(entry)));
    extract.write(header);
    expect((await seen).size).toBe(9 * 1024 ** 3);
    extract.destroy();
  });

  it("pads a body to whole 512-byte blocks", () => {
    expect([0, 1, 511, 512, 513].map(paddingFor)).toEqual([0, 511, 1, 0, 511]);
  });
});
