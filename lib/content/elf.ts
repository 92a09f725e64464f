// Reads the dynamic-linking facts of an ELF file (PT_INTERP, DT_NEEDED, RPATH/RUNPATH, SONAME).
// The indexer calls it for every regular file that starts with the ELF magic, with at most
// ELF_READ_MAX_BYTES of its content, so it reads only the ELF header, the program headers and
// the PT_DYNAMIC segment (a few hundred bytes of a binary) straight from the buffer: no section
// headers, no symbol tables, no copies. elfy parses every section of the file into objects,
// which costs time proportional to the binary's size and throws on truncated input.
// Corrupt or truncated input gives null (not even the ELF header) or a partial answer, never a throw.
import type { ElfInfo } from "@/lib/content/types";

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
/** Files are buffered up to this many bytes to read their headers; bigger ones are read from their start only. */
export const ELF_READ_MAX_BYTES = 64 * 1024 * 1024;

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
/** A sane bound on program headers and dynamic entries: real binaries have ~15 and ~40. */
const MAX_PROGRAM_HEADERS = 256;
const MAX_DYNAMIC_ENTRIES = 4096;
const MAX_STRING_BYTES = 4096;

const TYPES: Record<number, ElfInfo["type"]> = { 1: "REL", 2: "EXEC", 3: "DYN", 4: "CORE" };

type Reader = { u16: (at: number) => number; u32: (at: number) => number; word: (at: number) => number };

const makeReader = (buf: Buffer, is64: boolean, little: boolean): Reader => {
  const u16 = (at: number) => (little ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
  const u32 = (at: number) => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  // 64-bit words above 2^53 are not file offsets of anything we can read: they become NaN-free Infinity.
  const u64 = (at: number) => {
    const value = little ? buf.readBigUInt64LE(at) : buf.readBigUInt64BE(at);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
  };
  return { u16, u32, word: is64 ? u64 : u32 };
};

const readString = (buf: Buffer, at: number): string | null => {
  if (!Number.isFinite(at) || at < 0 || at >= buf.length) return null;
  const limit = Math.min(buf.length, at + MAX_STRING_BYTES);
  const end = buf.indexOf(0, at);
  if (end < 0 || end > limit) return null;
  return buf.toString("utf8", at, end);
};

type Segment = { type: number; offset: number; vaddr: number; filesz: number };

const readSegments = (buf: Buffer, r: Reader, is64: boolean): Segment[] => {
  const phoff = r.word(is64 ? 0x20 : 0x1c);
  const phentsize = r.u16(is64 ? 0x36 : 0x2a);
  const phnum = Math.min(r.u16(is64 ? 0x38 : 0x2c), MAX_PROGRAM_HEADERS);
  if (phentsize < (is64 ? 56 : 32) || !Number.isFinite(phoff)) return [];
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + phentsize > buf.length) break;
    segments.push(
      is64
        ? { type: r.u32(at), offset: r.word(at + 8), vaddr: r.word(at + 16), filesz: r.word(at + 32) }
        : { type: r.u32(at), offset: r.word(at + 4), vaddr: r.word(at + 8), filesz: r.word(at + 16) },
    );
  }
  return segments;
};

// DT_STRTAB is a virtual address: map it to a file offset through the PT_LOAD that contains it.
const toFileOffset = (segments: Segment[], vaddr: number): number | null => {
  for (const segment of segments) {
    if (segment.type === PT_LOAD && vaddr >= segment.vaddr && vaddr < segment.vaddr + segment.filesz) {
      return segment.offset + (vaddr - segment.vaddr);
    }
  }
  return null;
};

const splitPath = (value: string | null): string[] => (value ? value.split(":").filter((part) => part.length > 0) : []);

export const readElfInfo = (content: Buffer): ElfInfo | null => {
  try {
    if (content.length < 0x34 || !content.subarray(0, 4).equals(ELF_MAGIC)) return null;
    const elfClass = content[4];
    const data = content[5];
    if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2)) return null;
    const is64 = elfClass === 2;
    if (is64 && content.length < 0x40) return null;
    const r = makeReader(content, is64, data === 1);
    const info: ElfInfo = {
      bits: is64 ? 64 : 32,
      machine: r.u16(0x12),
      type: TYPES[r.u16(0x10)] ?? "OTHER",
      interpreter: null,
      needed: [],
      rpath: [],
      runpath: [],
      soname: null,
    };

    const segments = readSegments(content, r, is64);
    const interp = segments.find((segment) => segment.type === PT_INTERP);
    if (interp) info.interpreter = readString(content, interp.offset);

    const dynamic = segments.find((segment) => segment.type === PT_DYNAMIC);
    if (!dynamic || !Number.isFinite(dynamic.offset)) return info;
    const entrySize = is64 ? 16 : 8;
    const entries: Array<[number, number]> = [];
    const end = Math.min(content.length, dynamic.offset + dynamic.filesz, dynamic.offset + MAX_DYNAMIC_ENTRIES * entrySize);
    let strtab: number | null = null;
    let strsz = Number.POSITIVE_INFINITY;
    for (let at = dynamic.offset; at + entrySize <= end; at += entrySize) {
      const tag = is64 ? r.word(at) : r.u32(at);
      if (tag === DT_NULL) break;
      const value = r.word(at + entrySize / 2);
      if (tag === DT_STRTAB) strtab = toFileOffset(segments, value);
      else if (tag === DT_STRSZ) strsz = value;
      else if (tag === DT_NEEDED || tag === DT_SONAME || tag === DT_RPATH || tag === DT_RUNPATH) entries.push([tag, value]);
    }
    if (strtab === null) return info;

    for (const [tag, offset] of entries) {
      if (offset >= strsz) continue;
      const text = readString(content, strtab + offset);
      if (text === null) continue;
      if (tag === DT_NEEDED) info.needed.push(text);
      else if (tag === DT_SONAME) info.soname = text;
      else if (tag === DT_RPATH) info.rpath.push(...splitPath(text));
      else info.runpath.push(...splitPath(text));
    }
    return info;
  } catch {
    // Any out-of-range read of a corrupt header: what we could read is not trustworthy.
    return null;
  }
};
