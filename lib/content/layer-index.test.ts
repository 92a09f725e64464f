import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { elfRangesToKeep, readElfInfo } from "@/lib/content/elf";
import { indexLayerTar, normalisePath } from "@/lib/content/layer-index";
import { bytesOf, chunked, packTar, sha256Hex } from "@/lib/content/test-tars";

// The C library this process runs on: a real 2 MB shared object whose PT_DYNAMIC lies far past its head.
const libcPath = () => /\s(\/\S*\/libc\.so\.6)$/m.exec(fs.readFileSync("/proc/self/maps", "utf8"))![1];

describe("layer indexer", () => {
  it("reads a large ELF's dynamic-linking facts from its kept ranges as from the whole file", async () => {
    const libc = fs.readFileSync(libcPath());
    const ranges = elfRangesToKeep(libc.subarray(0, 64 * 1024), libc.length)!;
    // Far less than the file is kept, and PT_DYNAMIC (near the end) is among it.
    expect(ranges.reduce((sum, [start, end]) => sum + end - start, 0)).toBeLessThan(libc.length / 2);
    expect(ranges.some(([start]) => start > 64 * 1024)).toBe(true);
    const whole = readElfInfo(libc);
    expect(whole).toMatchObject({ soname: "libc.so.6" });
    expect(whole!.needed.length).toBeGreaterThan(0);
    const tarball = await packTar([{ name: "./lib/libc.so.6", content: libc, mode: 0o755 }]);
    for (const size of [7001, 64 * 1024, 1024 * 1024]) {
      const index = await indexLayerTar(chunked(tarball, size));
      expect(index.entries[0].elf).toEqual(whole);
    }
  });

  it("records every entry with kind, size, mode, owner, link target and a hash above the threshold", async () => {
    const big = bytesOf(4096, 1);
    const tarball = await packTar([
      { name: "./usr/", type: "directory" },
      { name: "./usr/lib/", type: "directory", mode: 0o750, uid: 1000, gid: 1001 },
      { name: "./usr/lib/big.bin", content: big },
      { name: "./usr/lib/small.txt", content: bytesOf(4095, 2) },
      { name: "./usr/lib/empty", content: "" },
      { name: "./usr/lib/alias", type: "symlink", linkname: "../lib/big.bin" },
      { name: "./usr/lib/hard", type: "link", linkname: "./usr/lib/big.bin" },
      { name: "./usr/.wh.share" },
      { name: "./usr/lib/.wh..wh..opq" },
    ]);
    const index = await indexLayerTar(chunked(tarball, 1000));
    expect(index.entries).toEqual([
      { path: "/usr", kind: "dir", size: 0, mode: 0o40755, uid: 0, gid: 0 },
      { path: "/usr/lib", kind: "dir", size: 0, mode: 0o40750, uid: 1000, gid: 1001 },
      { path: "/usr/lib/big.bin", kind: "file", size: 4096, mode: 0o100644, uid: 0, gid: 0, sha256: sha256Hex(big) },
      { path: "/usr/lib/small.txt", kind: "file", size: 4095, mode: 0o100644, uid: 0, gid: 0 },
      { path: "/usr/lib/empty", kind: "file", size: 0, mode: 0o100644, uid: 0, gid: 0 },
      { path: "/usr/lib/alias", kind: "symlink", size: 0, mode: 0o120644, uid: 0, gid: 0, linkTarget: "../lib/big.bin" },
      { path: "/usr/lib/hard", kind: "hardlink", size: 0, mode: 0o100644, uid: 0, gid: 0, linkTarget: "/usr/lib/big.bin" },
      { path: "/usr/share", kind: "whiteout", size: 0, mode: 0, uid: 0, gid: 0 },
      { path: "/usr/lib", kind: "opaque", size: 0, mode: 0, uid: 0, gid: 0 },
    ]);
    expect(index.stats).toEqual({ files: 3, dirs: 2, symlinks: 1, hardlinks: 1, whiteouts: 2, fileBytes: 4096 + 4095, tarBytes: 0 });
    expect(index.droppedEntries).toBe(0);
  });

  it("captures package databases and ld.so configuration, nothing else", async () => {
    const tarball = await packTar([
      { name: "var/lib/dpkg/status", content: "Package: libc6\nStatus: install ok installed\n" },
      { name: "var/lib/dpkg/info/libc6.list", content: "/lib/x86_64-linux-gnu/libc.so.6\n" },
      { name: "etc/ld.so.conf.d/x.conf", content: "/opt/lib\n" },
      { name: "etc/hostname", content: "not captured" },
      { name: "opt/venv/lib/python3.11/site-packages/flask-3.0.dist-info/RECORD", content: "flask/__init__.py,sha256=x,10\n" },
    ]);
    const index = await indexLayerTar(tarball);
    expect(Object.keys(index.captured).sort()).toEqual([
      "/etc/ld.so.conf.d/x.conf",
      "/opt/venv/lib/python3.11/site-packages/flask-3.0.dist-info/RECORD",
      "/var/lib/dpkg/info/libc6.list",
      "/var/lib/dpkg/status",
    ]);
    expect(index.captured["/var/lib/dpkg/status"]).toBe("Package: libc6\nStatus: install ok installed\n");
  });

  it("stops recording entries and captured bytes at the caps but keeps counting", async () => {
    const tarball = await packTar([
      { name: "var/lib/dpkg/status", content: "Package: a\n" },
      { name: "var/lib/dpkg/info/a.list", content: "/a\n" },
      { name: "a", content: "1" },
      { name: "b", content: "22" },
    ]);
    const index = await indexLayerTar(tarball, { maxEntries: 2, maxCapturedBytes: 12 });
    expect(index.entries.map((entry) => entry.path)).toEqual(["/var/lib/dpkg/status", "/var/lib/dpkg/info/a.list"]);
    expect(index.droppedEntries).toBe(2);
    expect(index.stats.files).toBe(4);
    expect(index.stats.fileBytes).toBe(11 + 3 + 1 + 2);
    expect(Object.keys(index.captured)).toEqual(["/var/lib/dpkg/status"]);
  });

  it("fails on a truncated layer tar", async () => {
    const tarball = await packTar([{ name: "a.bin", content: bytesOf(20_000) }]);
    await expect(indexLayerTar(tarball.subarray(0, 5000))).rejects.toThrow();
  });

  it("normalises tar names to absolute paths", () => {
    expect(normalisePath("./usr/lib/")).toBe("/usr/lib");
    expect(normalisePath("usr/./bin/../sbin")).toBe("/usr/sbin");
    expect(normalisePath("./")).toBe("/");
  });
});
