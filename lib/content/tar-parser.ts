// A synchronous, push-style tar reader for layer tars: headers (ustar, GNU long names, pax
// path/linkpath/size/uid/gid records, base-256 numbers), each entry's data handed out as
// slices of the chunks written, nothing buffered but one header. tar-stream's extract creates a
// stream per entry, which costs tens of microseconds each: 100k small files took seconds (see
// scripts/bench-content.ts); this costs a few. Throws TarFormatError on a bad checksum, and
// from end() when the tar stops mid-entry. Pure.

export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TarFormatError";
  }
}

export type TarEntryType = "file" | "link" | "symlink" | "directory" | "character-device" | "block-device" | "fifo" | "other";

export type TarHeader = { name: string; type: TarEntryType; size: number; mode: number; uid: number; gid: number; linkname: string };

export type TarHandlers = {
  onEntry: (header: TarHeader) => void;
  /** `offset`: where the slice starts in the chunk last written (for callers tracking stream positions). */
  onData: (chunk: Buffer, offset: number) => void;
  onEntryEnd: () => void;
};

const BLOCK = 512;

const TYPES: Record<string, TarEntryType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "link",
  "2": "symlink",
  "3": "character-device",
  "4": "block-device",
  "5": "directory",
  "6": "fifo",
};

const cString = (block: Buffer, offset: number, length: number) => {
  let end = offset;
  const limit = offset + length;
  while (end < limit && block[end] !== 0) end += 1;
  return block.toString("utf8", offset, end);
};

const number = (block: Buffer, offset: number, length: number): number => {
  // Base-256 (GNU, for values that do not fit the octal field): high bit of the first byte set.
  if (block[offset] & 0x80) {
    let value = block[offset] & 0x7f;
    for (let index = offset + 1; index < offset + length; index += 1) value = value * 256 + block[index];
    return value;
  }
  let value = 0;
  let index = offset;
  const limit = offset + length;
  while (index < limit && (block[index] === 0x20 || block[index] === 0)) index += 1;
  for (; index < limit; index += 1) {
    const byte = block[index];
    if (byte < 0x30 || byte > 0x37) break;
    value = value * 8 + (byte - 0x30);
  }
  return value;
};

const checksumOk = (block: Buffer) => {
  let sum = 8 * 0x20;
  for (let index = 0; index < 148; index += 1) sum += block[index];
  for (let index = 156; index < BLOCK; index += 1) sum += block[index];
  return sum === number(block, 148, 8);
};

const isZero = (block: Buffer) => {
  for (let index = 0; index < BLOCK; index += 1) if (block[index] !== 0) return false;
  return true;
};

const parsePax = (data: Buffer): Record<string, string> => {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.toString("latin1", offset, space));
    if (!length) break;
    const record = data.toString("utf8", space + 1, offset + length - 1);
    const equals = record.indexOf("=");
    if (equals !== -1) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
};

type Meta = { kind: "pax" | "global" | "longname" | "longlink"; parts: Buffer[]; size: number };

export class TarParser {
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Bytes of the current entry's data still to come, then padding to the next block. */
  private remaining = 0;
  private padding = 0;
  private inEntry = false;
  private meta: Meta | null = null;
  private pax: Record<string, string> = {};
  private globalPax: Record<string, string> = {};
  private longName: string | null = null;
  private longLink: string | null = null;
  private finished = false;
  private currentSize = 0;

  constructor(private readonly handlers: TarHandlers) {}

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.finished) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        const slice = chunk.subarray(offset, offset + take);
        if (this.meta) this.meta.parts.push(Buffer.from(slice));
        else this.handlers.onData(slice, offset);
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.endData();
        continue;
      }
      if (this.padding > 0) {
        const skip = Math.min(this.padding, chunk.length - offset);
        this.padding -= skip;
        offset += skip;
        continue;
      }
      const take = Math.min(BLOCK - this.headerFill, chunk.length - offset);
      chunk.copy(this.header, this.headerFill, offset, offset + take);
      this.headerFill += take;
      offset += take;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.readHeader();
      }
    }
  }

  /** The input ended: throws when it ended inside an entry or a header. */
  end(): void {
    if (this.finished) return;
    if (this.remaining > 0 || this.inEntry || this.meta || this.headerFill > 0 || this.padding > 0) throw new TarFormatError("Unexpected end of data");
  }

  private endData() {
    this.padding = (BLOCK - (this.currentSize % BLOCK)) % BLOCK;
    if (this.meta) {
      const data = Buffer.concat(this.meta.parts);
      if (this.meta.kind === "pax") this.pax = { ...this.pax, ...parsePax(data) };
      else if (this.meta.kind === "global") this.globalPax = { ...this.globalPax, ...parsePax(data) };
      else if (this.meta.kind === "longname") this.longName = cString(data, 0, data.length);
      else this.longLink = cString(data, 0, data.length);
      this.meta = null;
      return;
    }
    this.inEntry = false;
    this.handlers.onEntryEnd();
  }

  private readHeader() {
    const block = this.header;
    // End-of-archive blocks (two, then padding to the record size).
    if (isZero(block)) return;
    if (!checksumOk(block)) throw new TarFormatError("Invalid tar header (bad checksum)");
    const flag = String.fromCharCode(block[156]);
    const size = number(block, 124, 12);
    this.currentSize = size;
    const metaKind = flag === "x" ? "pax" : flag === "g" ? "global" : flag === "L" ? "longname" : flag === "K" ? "longlink" : null;
    if (metaKind) {
      this.meta = { kind: metaKind, parts: [], size };
      this.remaining = size;
      if (size === 0) this.endData();
      return;
    }
    const isUstar = block.toString("latin1", 257, 263) === "ustar\0";
    let name = cString(block, 0, 100);
    if (isUstar) {
      const prefix = cString(block, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const pax = { ...this.globalPax, ...this.pax };
    if (this.longName !== null) name = this.longName;
    if (pax.path !== undefined) name = pax.path;
    let linkname = this.longLink ?? cString(block, 157, 100);
    if (pax.linkpath !== undefined) linkname = pax.linkpath;
    let type: TarEntryType = TYPES[flag] ?? "other";
    if (flag === "\0" && name.endsWith("/")) type = "directory";
    const header: TarHeader = {
      name,
      type,
      size: pax.size !== undefined ? Number(pax.size) : size,
      mode: number(block, 100, 8) & 0o7777,
      uid: pax.uid !== undefined ? Number(pax.uid) : number(block, 108, 8),
      gid: pax.gid !== undefined ? Number(pax.gid) : number(block, 116, 8),
      linkname,
    };
    this.pax = {};
    this.longName = null;
    this.longLink = null;
    this.currentSize = header.size;
    this.inEntry = true;
    this.handlers.onEntry(header);
    this.remaining = header.size;
    if (header.size === 0) this.endData();
  }
}
