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

// Plain functions over (buffer, byte order): no closures made per file (it runs on every binary of an image).
// 64-bit words are read as two 32-bit halves (no BigInt); above 2^53 they are not offsets of anything readable: Infinity.
type Reader = { buf: Buffer; is64: boolean; little: boolean };
const TWO_32 = 2 ** 32;
const u16 = (r: Reader, at: number) => (r.little ? r.buf.readUInt16LE(at) : r.buf.readUInt16BE(at));
const u32 = (r: Reader, at: number) => (r.little ? r.buf.readUInt32LE(at) : r.buf.readUInt32BE(at));
const word = (r: Reader, at: number) => {
  if (!r.is64) return u32(r, at);
  const lo = r.little ? r.buf.readUInt32LE(at) : r.buf.readUInt32BE(at + 4);
  const hi = r.little ? r.buf.readUInt32LE(at + 4) : r.buf.readUInt32BE(at);
  return hi >= 0x200000 ? Number.POSITIVE_INFINITY : hi * TWO_32 + lo;
};

const readString = (buf: Buffer, at: number): string | null => {
  if (!Number.isFinite(at) || at < 0 || at >= buf.length) return null;
  const limit = Math.min(buf.length, at + MAX_STRING_BYTES);
  let end = at;
  while (end < limit && buf[end] !== 0) end++;
  if (end >= limit) return null;
  return buf.toString("utf8", at, end);
};

type Segment = { type: number; offset: number; vaddr: number; filesz: number };

const readSegments = (r: Reader): Segment[] => {
  const { buf, is64 } = r;
  const phoff = word(r, is64 ? 0x20 : 0x1c);
  const phentsize = u16(r, is64 ? 0x36 : 0x2a);
  const phnum = Math.min(u16(r, is64 ? 0x38 : 0x2c), MAX_PROGRAM_HEADERS);
  if (phentsize < (is64 ? 56 : 32) || !Number.isFinite(phoff)) return [];
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + phentsize > buf.length) break;
    segments.push(
      is64
        ? { type: u32(r, at), offset: word(r, at + 8), vaddr: word(r, at + 16), filesz: word(r, at + 32) }
        : { type: u32(r, at), offset: word(r, at + 4), vaddr: word(r, at + 8), filesz: word(r, at + 16) },
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
    if (content.length < 0x34 || content[0] !== 0x7f || content[1] !== 0x45 || content[2] !== 0x4c || content[3] !== 0x46) return null;
    const elfClass = content[4];
    const data = content[5];
    if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2)) return null;
    const is64 = elfClass === 2;
    if (is64 && content.length < 0x40) return null;
    const r: Reader = { buf: content, is64, little: data === 1 };
    const info: ElfInfo = {
      bits: is64 ? 64 : 32,
      machine: u16(r, 0x12),
      type: TYPES[u16(r, 0x10)] ?? "OTHER",
      interpreter: null,
      needed: [],
      rpath: [],
      runpath: [],
      soname: null,
    };

    const segments = readSegments(r);
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
      const tag = is64 ? word(r, at) : u32(r, at);
      if (tag === DT_NULL) break;
      const value = word(r, at + entrySize / 2);
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
