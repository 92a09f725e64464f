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

/** Bytes of a file read at `start` (the indexer keeps only the ranges of an ELF that matter). */
export type ElfPart = { start: number; buf: Buffer };

// Plain functions over (parts, byte order): no closures made per file (it runs on every binary of an image).
// 64-bit words are read as two 32-bit halves (no BigInt); above 2^53 they are not offsets of anything readable: Infinity.
// A read outside the parts throws RangeError, like a read past the end of a buffer.
type Reader = { parts: ElfPart[]; is64: boolean; little: boolean };
const TWO_32 = 2 ** 32;
const partAt = (r: Reader, at: number, length: number): ElfPart | null => {
  for (const part of r.parts) if (at >= part.start && at + length <= part.start + part.buf.length) return part;
  return null;
};
const has = (r: Reader, at: number, length: number) => partAt(r, at, length) !== null;
const u16 = (r: Reader, at: number) => {
  const part = partAt(r, at, 2);
  if (!part) throw new RangeError(`offset ${at} was not read`);
  return r.little ? part.buf.readUInt16LE(at - part.start) : part.buf.readUInt16BE(at - part.start);
};
const u32 = (r: Reader, at: number) => {
  const part = partAt(r, at, 4);
  if (!part) throw new RangeError(`offset ${at} was not read`);
  return r.little ? part.buf.readUInt32LE(at - part.start) : part.buf.readUInt32BE(at - part.start);
};
const word = (r: Reader, at: number) => {
  if (!r.is64) return u32(r, at);
  const lo = r.little ? u32(r, at) : u32(r, at + 4);
  const hi = r.little ? u32(r, at + 4) : u32(r, at);
  return hi >= 0x200000 ? Number.POSITIVE_INFINITY : hi * TWO_32 + lo;
};

const readString = (r: Reader, at: number): string | null => {
  if (!Number.isFinite(at) || at < 0) return null;
  const part = partAt(r, at, 1);
  if (!part) return null;
  const buf = part.buf;
  const from = at - part.start;
  const limit = Math.min(buf.length, from + MAX_STRING_BYTES);
  let end = from;
  while (end < limit && buf[end] !== 0) end++;
  if (end >= limit) return null;
  return buf.toString("utf8", from, end);
};

type Segment = { type: number; offset: number; vaddr: number; filesz: number };

const readSegments = (r: Reader): Segment[] => {
  const { is64 } = r;
  const phoff = word(r, is64 ? 0x20 : 0x1c);
  const phentsize = u16(r, is64 ? 0x36 : 0x2a);
  const phnum = Math.min(u16(r, is64 ? 0x38 : 0x2c), MAX_PROGRAM_HEADERS);
  if (phentsize < (is64 ? 56 : 32) || !Number.isFinite(phoff)) return [];
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (!has(r, at, phentsize)) break;
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

/**
 * `content`: the file from its first byte, or the parts of it that were kept (the first must
 * start at 0 and hold the ELF header; see `elfRangesToKeep`).
 */
export const readElfInfo = (content: Buffer | ElfPart[]): ElfInfo | null => {
  const parts = Buffer.isBuffer(content) ? [{ start: 0, buf: content }] : content;
  return readElfParts(parts);
};

const readElfParts = (parts: ElfPart[]): ElfInfo | null => {
  const content = parts[0]?.start === 0 ? parts[0].buf : Buffer.alloc(0);
  try {
    if (content.length < 0x34 || content[0] !== 0x7f || content[1] !== 0x45 || content[2] !== 0x4c || content[3] !== 0x46) return null;
    const elfClass = content[4];
    const data = content[5];
    if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2)) return null;
    const is64 = elfClass === 2;
    if (is64 && content.length < 0x40) return null;
    const r: Reader = { parts, is64, little: data === 1 };
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
    if (interp) info.interpreter = readString(r, interp.offset);

    const dynamic = segments.find((segment) => segment.type === PT_DYNAMIC);
    if (!dynamic || !Number.isFinite(dynamic.offset)) return info;
    const entrySize = is64 ? 16 : 8;
    const entries: Array<[number, number]> = [];
    const dynamicPart = partAt(r, dynamic.offset, entrySize);
    if (!dynamicPart) return info;
    const end = Math.min(dynamicPart.start + dynamicPart.buf.length, dynamic.offset + dynamic.filesz, dynamic.offset + MAX_DYNAMIC_ENTRIES * entrySize);
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
      const text = readString(r, strtab + offset);
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

/** Bytes read from a file's start before deciding which ranges of an ELF to keep. */
export const ELF_HEAD_BYTES = 64 * 1024;

/**
 * The byte ranges [start, end) of an ELF file that `readElfInfo` reads, from its first
 * ELF_HEAD_BYTES: the first PT_LOAD (the ELF and program headers, .interp, .dynsym and .dynstr on
 * every toolchain's layout), PT_INTERP and PT_DYNAMIC; each capped at ELF_READ_MAX_BYTES. null
 * when the head is not an ELF whose program headers it holds: then keep the file up to
 * ELF_READ_MAX_BYTES as before.
 */
export const elfRangesToKeep = (head: Buffer, fileSize: number): Array<[number, number]> | null => {
  try {
    if (head.length < 0x40 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return null;
    const is64 = head[4] === 2;
    if ((head[4] !== 1 && head[4] !== 2) || (head[5] !== 1 && head[5] !== 2)) return null;
    const r: Reader = { parts: [{ start: 0, buf: head }], is64, little: head[5] === 1 };
    const phoff = word(r, is64 ? 0x20 : 0x1c);
    const phentsize = u16(r, is64 ? 0x36 : 0x2a);
    const phnum = Math.min(u16(r, is64 ? 0x38 : 0x2c), MAX_PROGRAM_HEADERS);
    if (!Number.isFinite(phoff) || phoff + phnum * phentsize > head.length) return null;
    const segments = readSegments(r);
    const ranges: Array<[number, number]> = [[0, Math.min(fileSize, head.length)]];
    const keep = (offset: number, length: number) => {
      if (!Number.isFinite(offset) || !Number.isFinite(length) || offset >= fileSize) return;
      ranges.push([offset, Math.min(fileSize, offset + Math.min(length, ELF_READ_MAX_BYTES))]);
    };
    const firstLoad = segments.find((segment) => segment.type === PT_LOAD);
    if (firstLoad) keep(firstLoad.offset, firstLoad.filesz);
    for (const segment of segments) {
      if (segment.type === PT_INTERP) keep(segment.offset, Math.min(segment.filesz, MAX_STRING_BYTES));
      if (segment.type === PT_DYNAMIC) keep(segment.offset, Math.min(segment.filesz, MAX_DYNAMIC_ENTRIES * (is64 ? 16 : 8)));
    }
    // Sorted and merged, so each byte is kept once.
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [start, end] of ranges) {
      const last = merged.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else if (end > start) merged.push([start, end]);
    }
    return merged;
  } catch {
    return null;
  }
};
