import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { readElfInfo } from "@/lib/content/elf";
import { createLibraryResolver, expandSearchDir, readLdSoConf } from "@/lib/content/ld-resolve";
import type { ElfInfo, FinalEntry } from "@/lib/content/types";
import { dir, file, finalFs, symlink } from "@/lib/content/__fixtures__/final-fs";

const elfOf = (name: string): ElfInfo => {
  const info = readElfInfo(fs.readFileSync(path.join(__dirname, "__fixtures__", "elf", name)));
  if (!info) throw new Error(`fixture ${name} is not ELF`);
  return info;
};
const libc: ElfInfo = { bits: 64, machine: 62, type: "DYN", interpreter: null, needed: [], rpath: [], runpath: [], soname: "libc.so.6" };
const lib = (soname: string, extra: Partial<ElfInfo> = {}): ElfInfo => ({ ...libc, soname, ...extra });
const elfFile = (p: string, elf: ElfInfo, layer = 0) => file(p, 1000, layer, { elf });

// A merged-/usr Debian base as in layerboard/bookworm-base: /lib -> usr/lib, /lib64 -> usr/lib64.
const base = (): FinalEntry[] => [
  symlink("/lib", "usr/lib"),
  symlink("/lib64", "usr/lib64"),
  symlink("/bin", "usr/bin"),
  dir("/usr/lib/x86_64-linux-gnu"),
  elfFile("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", lib("ld-linux-x86-64.so.2")),
  symlink("/usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
  elfFile("/usr/lib/x86_64-linux-gnu/libc.so.6", libc),
];
const config = { env: ["PATH=/usr/bin:/bin"], workingDir: "/" };

describe("createLibraryResolver", () => {
  test("$ORIGIN RUNPATH finds the library beside the binary; the interpreter resolves through /lib64 -> usr/lib64", () => {
    const image = finalFs([...base(), elfFile("/opt/app/bin/answer", elfOf("runpath-origin"), 1), elfFile("/opt/app/lib/libanswer.so.1", elfOf("libanswer.so.1"), 1)]);
    expect(createLibraryResolver(image, config).resolveBinary("/opt/app/bin/answer", elfOf("runpath-origin"))).toEqual({
      path: "/opt/app/bin/answer",
      interpreter: "/lib64/ld-linux-x86-64.so.2",
      interpreterFound: true,
      missing: [],
    });
  });

  test("the library elsewhere, or the interpreter gone: each reported", () => {
    const image = finalFs([
      ...base().filter((e) => !e.path.includes("ld-linux")),
      elfFile("/opt/app/bin/answer", elfOf("runpath-origin"), 1),
      elfFile("/opt/app/libs/libanswer.so.1", elfOf("libanswer.so.1"), 1),
    ]);
    expect(createLibraryResolver(image, config).resolveBinary("/opt/app/bin/answer", elfOf("runpath-origin"))).toMatchObject({
      interpreterFound: false,
      missing: [{ name: "libanswer.so.1", neededBy: "/opt/app/bin/answer" }],
    });
  });

  test("$ORIGIN of an executable is its real directory: a symlink to it in /usr/local/bin still finds ../lib", () => {
    const image = finalFs([
      ...base(),
      elfFile("/opt/app/bin/answer", elfOf("runpath-origin"), 1),
      elfFile("/opt/app/lib/libanswer.so.1", elfOf("libanswer.so.1"), 1),
      symlink("/usr/local/bin/answer", "/opt/app/bin/answer", 1),
    ]);
    expect(createLibraryResolver(image, config).resolveBinary("/usr/local/bin/answer", elfOf("runpath-origin")).missing).toEqual([]);
  });

  test("DT_RPATH is searched; a DT_RUNPATH on the same object disables it", () => {
    const withRpath = elfOf("rpath-old");
    const image = finalFs([...base(), elfFile("/usr/bin/old", withRpath, 1), elfFile("/opt/answer/lib/libanswer.so.1", elfOf("libanswer.so.1"), 1)]);
    const resolver = createLibraryResolver(image, config);
    expect(resolver.resolveBinary("/usr/bin/old", withRpath).missing).toEqual([]);
    const both: ElfInfo = { ...withRpath, runpath: ["/nowhere"] };
    expect(resolver.resolveBinary("/usr/bin/old", both).missing).toEqual([{ name: "libanswer.so.1", neededBy: "/usr/bin/old" }]);
  });

  test("the executable's DT_RPATH applies to the libraries it loads, unless the library has a DT_RUNPATH", () => {
    const exe: ElfInfo = { ...libc, type: "EXEC", soname: null, interpreter: "/lib64/ld-linux-x86-64.so.2", needed: ["libmid.so"], rpath: ["/opt/r"] };
    const build = (mid: ElfInfo) =>
      finalFs([...base(), elfFile("/usr/bin/exe", exe, 1), elfFile("/usr/lib/libmid.so", mid, 1), elfFile("/opt/r/libleaf.so", lib("libleaf.so"), 1)]);
    const mid = lib("libmid.so", { needed: ["libleaf.so"] });
    expect(createLibraryResolver(build(mid), config).resolveBinary("/usr/bin/exe", exe).missing).toEqual([]);
    const midWithRunpath = lib("libmid.so", { needed: ["libleaf.so"], runpath: ["/elsewhere"] });
    expect(createLibraryResolver(build(midWithRunpath), config).resolveBinary("/usr/bin/exe", exe).missing).toEqual([
      { name: "libleaf.so", neededBy: "/usr/lib/libmid.so" },
    ]);
  });

  test("a name already loaded satisfies a later need without a search (found through the executable's RUNPATH)", () => {
    const exe: ElfInfo = { ...libc, type: "EXEC", soname: null, needed: ["libleaf.so", "libmid.so"], runpath: ["$ORIGIN/../private"] };
    const image = finalFs([
      ...base(),
      elfFile("/app/bin/exe", exe, 1),
      elfFile("/app/private/libleaf.so", lib("libleaf.so"), 1),
      elfFile("/usr/lib/libmid.so", lib("libmid.so", { needed: ["libleaf.so"] }), 1),
    ]);
    expect(createLibraryResolver(image, config).resolveBinary("/app/bin/exe", exe).missing).toEqual([]);
  });

  test("LD_LIBRARY_PATH from the image's Env, an empty element being the working directory", () => {
    const exe: ElfInfo = { ...libc, type: "EXEC", soname: null, needed: ["libx.so", "liby.so"] };
    const image = finalFs([...base(), elfFile("/srv/bin/exe", exe, 1), elfFile("/opt/x/libx.so", lib("libx.so"), 1), elfFile("/work/liby.so", lib("liby.so"), 1)]);
    expect(createLibraryResolver(image, config).resolveBinary("/srv/bin/exe", exe).missing.map((m) => m.name)).toEqual(["libx.so", "liby.so"]);
    const withEnv = { env: ["LD_LIBRARY_PATH=/opt/x:"], workingDir: "/work" };
    expect(createLibraryResolver(image, withEnv).resolveBinary("/srv/bin/exe", exe).missing).toEqual([]);
  });

  test("/etc/ld.so.conf with an include glob of ld.so.conf.d, relative to /etc", () => {
    const captured = {
      "/etc/ld.so.conf": { content: "include ld.so.conf.d/*.conf\n" },
      "/etc/ld.so.conf.d/b.conf": { content: "# comment\n/opt/b/lib\n" },
      "/etc/ld.so.conf.d/a.conf": { content: "/opt/a/lib # trailing\n/usr/local/lib\n" },
      "/etc/ld.so.conf.d/ignored.txt": { content: "/opt/ignored\n" },
    };
    const image = finalFs([...base(), elfFile("/opt/b/lib/libb.so", lib("libb.so"), 1)], captured);
    expect(readLdSoConf(image)).toEqual(["/opt/a/lib", "/usr/local/lib", "/opt/b/lib"]);
    const exe: ElfInfo = { ...libc, type: "EXEC", soname: null, needed: ["libb.so"] };
    expect(createLibraryResolver(image, config).resolveBinary("/usr/bin/x", exe).missing).toEqual([]);
  });

  test("a library of another class or machine is skipped, as ld.so does; the next directory's copy is used", () => {
    const exe: ElfInfo = { ...libc, type: "EXEC", soname: null, needed: ["libtiny32.so.1"] };
    const wrongClass = finalFs([...base(), elfFile("/usr/lib/x86_64-linux-gnu/libtiny32.so.1", elfOf("libtiny32.so.1"))]);
    expect(createLibraryResolver(wrongClass, config).resolveBinary("/usr/bin/x", exe).missing).toHaveLength(1);
    const alsoRight = finalFs([
      ...base(),
      elfFile("/usr/lib/x86_64-linux-gnu/libtiny32.so.1", elfOf("libtiny32.so.1")),
      elfFile("/usr/lib/libtiny32.so.1", lib("libtiny32.so.1")),
    ]);
    expect(createLibraryResolver(alsoRight, config).resolveBinary("/usr/bin/x", exe).missing).toEqual([]);
  });

  test("transitive needs: a found library's own missing dependency is named with the library that needs it", () => {
    const exe: ElfInfo = { ...libc, type: "EXEC", soname: null, needed: ["libmid.so", "libc.so.6"] };
    const image = finalFs([...base(), elfFile("/usr/lib/x86_64-linux-gnu/libmid.so", lib("libmid.so", { needed: ["libgone.so.3", "libc.so.6"] }))]);
    expect(createLibraryResolver(image, config).resolveBinary("/usr/bin/x", exe).missing).toEqual([
      { name: "libgone.so.3", neededBy: "/usr/lib/x86_64-linux-gnu/libmid.so" },
    ]);
  });

  test("dependency cycles end", () => {
    const exe: ElfInfo = { ...libc, type: "EXEC", soname: null, needed: ["liba.so"] };
    const image = finalFs([
      ...base(),
      elfFile("/usr/lib/liba.so", lib("liba.so", { needed: ["libb.so"] })),
      elfFile("/usr/lib/libb.so", lib("libb.so", { needed: ["liba.so", "libnone.so"] })),
    ]);
    expect(createLibraryResolver(image, config).resolveBinary("/usr/bin/x", exe).missing).toEqual([{ name: "libnone.so", neededBy: "/usr/lib/libb.so" }]);
  });

  test("$ORIGIN, ${ORIGIN}, $LIB and $PLATFORM expansion", () => {
    const x86 = { bits: 64 as const, machine: 62 };
    expect(expandSearchDir("$ORIGIN/../lib", "/opt/app/bin", x86)).toEqual(["/opt/app/lib"]);
    expect(expandSearchDir("${ORIGIN}/x", "/a", x86)).toEqual(["/a/x"]);
    expect(expandSearchDir("/opt/$LIB", "/", x86)).toEqual(["/opt/lib64", "/opt/lib/x86_64-linux-gnu", "/opt/lib"]);
    expect(expandSearchDir("/p/$PLATFORM", "/", { bits: 64, machine: 183 })).toEqual(["/p/aarch64"]);
    expect(expandSearchDir("$ORIGINAL/x", "/a", x86)).toEqual(["/$ORIGINAL/x"]);
  });
});
