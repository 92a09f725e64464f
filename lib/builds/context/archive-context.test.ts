import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openContext } from "./open-context";
import { buildTar, exists, expectAppError, listTempDirs, readTar, type TarSpec } from "./test-helpers";

const PREFIX = "layerboard-archive-";
const limits = { maxArchiveBytes: 1024 * 1024, maxArchiveEntries: 100 };
let before: string[];
let marker: string;

beforeEach(async () => {
  before = await listTempDirs(PREFIX);
  // A name unique to this test, used for files an attack would drop next to the temp dir.
  marker = `layerboard-evil-${process.pid}-${Math.random().toString(36).slice(2)}`;
});

afterEach(async () => {
  await fs.rm(path.join(os.tmpdir(), marker), { force: true, recursive: true });
});

const open = (data: Buffer, filename = "context.tar.gz", options = limits) =>
  openContext({ kind: "ARCHIVE", data, filename }, options);

/** Expects a refusal with `code` and checks that nothing was left in the temp dir. */
const expectRefused = async (data: Buffer, code: "CONTEXT_REFUSED" | "PAYLOAD_TOO_LARGE", options = limits) => {
  const error = await expectAppError(open(data, "context.tar.gz", options), code);
  expect(error.message).toContain("context.tar.gz");
  expect(await listTempDirs(PREFIX)).toEqual(before);
  expect(await exists(path.join(os.tmpdir(), marker))).toBe(false);
  return error;
};

const validEntries: TarSpec[] = [
  { name: "app/", type: "directory", mode: 0o750 },
  { name: "app/Dockerfile", content: "FROM scratch\n" },
  { name: "app/run.sh", content: "#!/bin/sh\n", mode: 0o755 },
  { name: "app/link", type: "symlink", linkname: "run.sh" },
  { name: "app/sub/hard", type: "link", linkname: "app/run.sh" },
  { name: "./top.txt", content: "top" },
];

describe("openContext ARCHIVE", () => {
  it("extracts a valid tar.gz with modes and inner links, revision = sha256 of the archive", async () => {
    const data = await buildTar(validEntries, { gzip: true });
    const context = await open(data, "upload.bin"); // gzip is detected by magic bytes, not the name
    try {
      expect(context.revision).toBe(`sha256:${createHash("sha256").update(data).digest("hex")}`);
      expect(await fs.readFile(path.join(context.dir, "app/Dockerfile"), "utf8")).toBe("FROM scratch\n");
      expect((await fs.stat(path.join(context.dir, "app/run.sh"))).mode & 0o777).toBe(0o755);
      expect((await fs.stat(path.join(context.dir, "app"))).mode & 0o777).toBe(0o750);
      expect(await fs.readlink(path.join(context.dir, "app/link"))).toBe("run.sh");
      expect(await fs.readFile(path.join(context.dir, "app/sub/hard"), "utf8")).toBe("#!/bin/sh\n");
      expect(await fs.readFile(path.join(context.dir, "top.txt"), "utf8")).toBe("top");
      const entries = await readTar(context.createTarStream({ dockerfile: "app/Dockerfile" }));
      expect(entries.get("app/run.sh")).toMatchObject({ type: "file", mode: 0o755 });
      expect(entries.get("app/link")).toMatchObject({ type: "symlink", linkname: "run.sh" });
    } finally {
      await context.cleanup();
    }
    expect(await exists(context.dir)).toBe(false);
    expect(await listTempDirs(PREFIX)).toEqual(before);
  });

  it("extracts a plain tar, given as a Uint8Array as Prisma returns bytea", async () => {
    const tarball = await buildTar([{ name: "Dockerfile", content: "FROM scratch\n" }]);
    const context = await open(new Uint8Array(tarball) as Buffer, "c.tar");
    expect(await fs.readFile(path.join(context.dir, "Dockerfile"), "utf8")).toBe("FROM scratch\n");
    await context.cleanup();
  });

  it("refuses ../ entries", async () => {
    const error = await expectRefused(
      await buildTar([{ name: "ok.txt", content: "x" }, { name: `../${marker}`, content: "evil" }], { gzip: true }),
      "CONTEXT_REFUSED",
    );
    expect(error.message).toContain('".."');
    await expectRefused(await buildTar([{ name: `a/../../${marker}`, content: "evil" }]), "CONTEXT_REFUSED");
  });

  it("refuses absolute entries", async () => {
    const error = await expectRefused(await buildTar([{ name: "/etc/x", content: "evil" }]), "CONTEXT_REFUSED");
    expect(error.message).toContain("absolute");
  });

  it("refuses a symlink to /etc/passwd and the file written through it", async () => {
    const error = await expectRefused(
      await buildTar([
        { name: "passwd", type: "symlink", linkname: "/etc/passwd" },
        { name: "passwd", content: "root::0:0::/root:/bin/sh\n" },
      ]),
      "CONTEXT_REFUSED",
    );
    expect(error.message).toContain("points outside");
    await expectRefused(
      await buildTar([
        { name: "tmp", type: "symlink", linkname: os.tmpdir() },
        { name: `tmp/${marker}`, content: "evil" },
      ]),
      "CONTEXT_REFUSED",
    );
    await expectRefused(await buildTar([{ name: "up", type: "symlink", linkname: "../.." }]), "CONTEXT_REFUSED");
  });

  it("refuses writing through symlinks that only escape in combination", async () => {
    // Each link looks inside on its own; b resolves to the parent of the extraction root.
    const chain: TarSpec[] = [
      { name: "a", type: "symlink", linkname: "." },
      { name: "b", type: "symlink", linkname: "a/.." },
    ];
    const through = await expectRefused(
      await buildTar([...chain, { name: `b/${marker}`, content: "evil" }]),
      "CONTEXT_REFUSED",
    );
    expect(through.message).toContain("through a symlink");
    const dangling = await expectRefused(await buildTar(chain), "CONTEXT_REFUSED");
    expect(dangling.message).toContain("symlink b points outside");
  });

  it("refuses hard links to files outside the archive, and device files", async () => {
    await expectRefused(await buildTar([{ name: "h", type: "link", linkname: "/etc/passwd" }]), "CONTEXT_REFUSED");
    await expectRefused(await buildTar([{ name: "h", type: "link", linkname: "../../etc/passwd" }]), "CONTEXT_REFUSED");
    const device = await expectRefused(
      await buildTar([{ name: "null", type: "character-device", devmajor: 1, devminor: 3 }]),
      "CONTEXT_REFUSED",
    );
    expect(device.message).toContain("character-device");
    await expectRefused(await buildTar([{ name: "pipe", type: "fifo" }]), "CONTEXT_REFUSED");
  });

  it("refuses too many entries", async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, content: "x" }));
    const error = await expectRefused(await buildTar(many, { gzip: true }), "PAYLOAD_TOO_LARGE", {
      ...limits,
      maxArchiveEntries: 10,
    });
    expect(error.message).toContain("more than 10 entries");
  });

  it("refuses an archive that expands past the limit, and one that is too large already", async () => {
    // 8 MB of zeros gzip to a few kB: a small upload that must not fill the disk.
    const bomb = await buildTar([{ name: "zeros.bin", content: Buffer.alloc(8 * 1024 * 1024) }], { gzip: true });
    expect(bomb.length).toBeLessThan(limits.maxArchiveBytes);
    const expanded = await expectRefused(bomb, "PAYLOAD_TOO_LARGE");
    expect(expanded.message).toContain("expands to more than 1.0 MB");
    const big = await expectRefused(
      await buildTar([{ name: "big.bin", content: Buffer.alloc(2048) }]),
      "PAYLOAD_TOO_LARGE",
      { ...limits, maxArchiveBytes: 1024 },
    );
    expect(big.message).toContain("over the");
  });

  it("stops reading once the decompressed tar outgrows the limit, even in headers", async () => {
    // A 3 MB pax record on a tiny file: under every per-file limit, but not under the total.
    const padded = await buildTar([{ name: "a.txt", content: "x", pax: { comment: "y".repeat(3 * 1024 * 1024) } }], {
      gzip: true,
    });
    expect(padded.length).toBeLessThan(limits.maxArchiveBytes);
    await expectRefused(padded, "PAYLOAD_TOO_LARGE");
  });

  it("refuses data that is not a tar, a corrupt gzip and zip files", async () => {
    await expectRefused(Buffer.from("hello, not a tar archive at all".repeat(40)), "CONTEXT_REFUSED");
    await expectRefused(gzipSync(Buffer.from("not a tar inside".repeat(100))), "CONTEXT_REFUSED");
    const gz = await buildTar([{ name: "a.txt", content: "x".repeat(10000) }], { gzip: true });
    await expectRefused(gz.subarray(0, gz.length - 20), "CONTEXT_REFUSED");
    const zip = await expectRefused(Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(100)]), "CONTEXT_REFUSED");
    expect(zip.message).toContain("zip");
    await expectRefused(Buffer.alloc(0), "CONTEXT_REFUSED");
  });
});
