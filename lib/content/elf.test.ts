import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { readElfInfo } from "@/lib/content/elf";

// Compiled here with gcc 12 by __fixtures__/elf/make.sh (x86-64, one 32-bit i386 library).
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "__fixtures__", "elf", name));

// A minimal ELF with PT_LOAD, PT_INTERP and PT_DYNAMIC, in either class and byte order, for the
// forms no compiler on this machine produces (big-endian).
const synthesise = ({ bits, little }: { bits: 32 | 64; little: boolean }) => {
  const is64 = bits === 64;
  const strings = "\0/lib/ld.so.1\0libfoo.so.2\0$ORIGIN/lib:/opt/x\0libbar.so\0";
  const at = (s: string) => strings.indexOf(s);
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const dynEntry = is64 ? 16 : 8;
  const phoff = ehsize;
  const strOff = phoff + 3 * phentsize;
  const dynOff = strOff + strings.length + (8 - ((strOff + strings.length) % 8));
  const dyn: Array<[number, number]> = [
    [5, 0x1000 + strOff], // DT_STRTAB as a vaddr inside the PT_LOAD below
    [10, strings.length],
    [1, at("libfoo.so.2")],
    [15, at("$ORIGIN/lib:/opt/x")],
    [14, at("libbar.so")],
    [0, 0],
  ];
  const buf = Buffer.alloc(dynOff + dyn.length * dynEntry);
  const u16 = (o: number, v: number) => (little ? buf.writeUInt16LE(v, o) : buf.writeUInt16BE(v, o));
  const u32 = (o: number, v: number) => (little ? buf.writeUInt32LE(v, o) : buf.writeUInt32BE(v, o));
  const word = (o: number, v: number) =>
    is64 ? (little ? buf.writeBigUInt64LE(BigInt(v), o) : buf.writeBigUInt64BE(BigInt(v), o)) : u32(o, v);
  buf.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1]);
  u16(0x10, 3); // ET_DYN
  u16(0x12, 21); // EM_PPC64
  word(is64 ? 0x20 : 0x1c, phoff);
  u16(is64 ? 0x36 : 0x2a, phentsize);
  u16(is64 ? 0x38 : 0x2c, 3);
  const phdr = (i: number, type: number, offset: number, vaddr: number, filesz: number) => {
    const o = phoff + i * phentsize;
    u32(o, type);
    if (is64) {
      word(o + 8, offset);
      word(o + 16, vaddr);
      word(o + 32, filesz);
    } else {
      word(o + 4, offset);
      word(o + 8, vaddr);
      word(o + 16, filesz);
    }
  };
  phdr(0, 1, 0, 0x1000, buf.length);
  phdr(1, 3, strOff + at("/lib/ld.so.1"), 0, 13);
  phdr(2, 2, dynOff, 0x1000 + dynOff, dyn.length * dynEntry);
  buf.write(strings, strOff, "latin1");
  dyn.forEach(([tag, value], i) => {
    word(dynOff + i * dynEntry, tag);
    word(dynOff + i * dynEntry + dynEntry / 2, value);
  });
  return buf;
};

describe("readElfInfo", () => {
  test("an executable with a $ORIGIN RUNPATH: interpreter, needed in order, runpath unexpanded", () => {
    expect(readElfInfo(fixture("runpath-origin"))).toEqual({
      bits: 64,
      machine: 62,
      type: "DYN", // gcc 12 links position-independent executables by default
      interpreter: "/lib64/ld-linux-x86-64.so.2",
      needed: ["libanswer.so.1", "libc.so.6"],
      rpath: [],
      runpath: ["$ORIGIN/../lib"],
      soname: null,
    });
  });

  test("--disable-new-dtags gives DT_RPATH, not DT_RUNPATH", () => {
    expect(readElfInfo(fixture("rpath-old"))).toMatchObject({ rpath: ["/opt/answer/lib"], runpath: [], needed: ["libanswer.so.1", "libc.so.6"] });
  });

  test("a shared library has a SONAME and no interpreter", () => {
    expect(readElfInfo(fixture("libanswer.so.1"))).toMatchObject({ type: "DYN", interpreter: null, soname: "libanswer.so.1", needed: [] }); // --as-needed drops libc: it uses none of it
  });

  test("a static executable has neither interpreter nor dynamic section", () => {
    expect(readElfInfo(fixture("static"))).toEqual({
      bits: 64,
      machine: 62,
      type: "EXEC",
      interpreter: null,
      needed: [],
      rpath: [],
      runpath: [],
      soname: null,
    });
  });

  test("a 32-bit i386 library", () => {
    expect(readElfInfo(fixture("libtiny32.so.1"))).toMatchObject({ bits: 32, machine: 3, soname: "libtiny32.so.1", runpath: ["/opt/x32"], needed: [] });
  });

  test("big- and little-endian, 32- and 64-bit headers read the same", () => {
    for (const bits of [32, 64] as const) {
      for (const little of [true, false]) {
        expect(readElfInfo(synthesise({ bits, little }))).toEqual({
          bits,
          machine: 21,
          type: "DYN",
          interpreter: "/lib/ld.so.1",
          needed: ["libfoo.so.2"],
          rpath: ["$ORIGIN/lib", "/opt/x"],
          runpath: [],
          soname: "libbar.so",
        });
      }
    }
  });

  test("truncated and corrupt input: null or a partial answer, never a throw", () => {
    // 300 bytes: the ELF header and some program headers, not the dynamic segment.
    const truncated = readElfInfo(fixture("truncated"));
    expect(truncated).toMatchObject({ bits: 64, machine: 62, needed: [] });
    expect(readElfInfo(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]))).toBeNull();
    expect(readElfInfo(Buffer.from("not an elf at all, just some text that is long enough to be read"))).toBeNull();
    const whole = fixture("runpath-origin");
    for (let cut = 0; cut < whole.length; cut += 97) {
      expect(() => readElfInfo(whole.subarray(0, cut))).not.toThrow();
    }
    // Garbage after a valid ident: random headers must not throw either.
    const garbage = Buffer.alloc(4096);
    for (let seed = 1; seed < 200; seed++) {
      let x = seed;
      for (let i = 0; i < garbage.length; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        garbage[i] = x & 0xff;
      }
      garbage.set([0x7f, 0x45, 0x4c, 0x46, (seed % 2) + 1, ((seed >> 1) % 2) + 1]);
      expect(() => readElfInfo(garbage)).not.toThrow();
    }
  });
});
