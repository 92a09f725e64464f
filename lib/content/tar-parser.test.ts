import { describe, expect, it } from "vitest";
import { TarFormatError, TarParser, type TarHeader } from "@/lib/content/tar-parser";
import { bytesOf, packTar } from "@/lib/content/test-tars";

const parse = (tarball: Buffer, chunkSize = 333) => {
  const headers: TarHeader[] = [];
  const sizes: number[] = [];
  const parser = new TarParser({
    onEntry: (header) => {
      headers.push(header);
      sizes.push(0);
    },
    onData: (chunk) => (sizes[sizes.length - 1] += chunk.length),
    onEntryEnd: () => undefined,
  });
  for (let offset = 0; offset < tarball.length; offset += chunkSize) parser.write(tarball.subarray(offset, offset + chunkSize));
  parser.end();
  return { headers, sizes };
};

describe("tar parser", () => {
  it("reads ustar prefixes and pax records for long paths and link targets, in any chunking", async () => {
    const deep = `${"d".repeat(90)}/${"e".repeat(90)}/file.txt`;
    const veryLong = `${"x/".repeat(150)}leaf`;
    const tarball = await packTar([
      { name: deep, content: bytesOf(1000), uid: 1234, gid: 5678, mode: 0o640 },
      { name: veryLong, content: "abc" },
      { name: "link", type: "symlink", linkname: `/${"t".repeat(150)}` },
      { name: "dir/", type: "directory" },
    ]);
    for (const chunkSize of [1, 100, 512, 4096, tarball.length]) {
      const { headers, sizes } = parse(tarball, chunkSize);
      expect(headers.map((h) => [h.name, h.type, h.size])).toEqual([
        [deep, "file", 1000],
        [veryLong, "file", 3],
        ["link", "symlink", 0],
        ["dir/", "directory", 0],
      ]);
      expect(headers[0]).toMatchObject({ uid: 1234, gid: 5678, mode: 0o640 });
      expect(headers[2].linkname).toBe(`/${"t".repeat(150)}`);
      expect(sizes).toEqual([1000, 3, 0, 0]);
    }
  });

  it("fails on a header with a bad checksum and on a tar that stops mid-entry", async () => {
    const tarball = await packTar([{ name: "a", content: bytesOf(2000) }]);
    const corrupt = Buffer.from(tarball);
    corrupt[10] ^= 0xff;
    expect(() => parse(corrupt)).toThrow(TarFormatError);
    expect(() => parse(tarball.subarray(0, 1500))).toThrow("Unexpected end of data");
  });
});
