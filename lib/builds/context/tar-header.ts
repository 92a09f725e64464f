// Encodes tar entry headers (ustar, with a PAX header for long or non-ASCII names), byte for
// byte as tar-stream's pack does, so that the packer can write headers straight into its
// output buffers instead of going through a stream per entry (tar-header.test.ts compares).
export type TarEntryType = "file" | "directory" | "symlink";

export type TarHeader = {
  name: string;
  type: TarEntryType;
  mode: number;
  /** Seconds since the epoch (tar keeps whole seconds). */
  mtimeSeconds: number;
  size: number;
  linkname?: string;
};

const BLOCK = 512;
const TYPEFLAG: Record<TarEntryType | "pax-header", number> = { file: 0, symlink: 2, directory: 5, "pax-header": 72 };
const USTAR_MAGIC = Buffer.from("ustar\u000000", "latin1");

const octal = (value: number, digits: number) => {
  const text = value.toString(8);
  return text.length > digits ? `${"7".repeat(digits)} ` : `${text.padStart(digits, "0")} `;
};

const writeSize = (size: number, block: Buffer) => {
  if (size.toString(8).length <= 11) {
    block.write(octal(size, 11), 124, "latin1");
    return;
  }
  // base-256 for sizes of 8 GiB and more
  block[124] = 0x80;
  let rest = size;
  for (let i = 11; i > 0; i -= 1) {
    block[124 + i] = rest & 0xff;
    rest = Math.floor(rest / 0x100);
  }
};

type RawHeader = { name: string; prefix: string; typeflag: number; mode: number; mtimeSeconds: number; size: number; linkname?: string };

const encodeBlock = (header: RawHeader): Buffer => {
  const block = Buffer.alloc(BLOCK);
  block.write(header.name, 0, "utf8");
  block.write(octal(header.mode & 0o7777, 6), 100, "latin1");
  block.write(octal(0, 6), 108, "latin1"); // uid: root, like the docker CLI
  block.write(octal(0, 6), 116, "latin1"); // gid
  writeSize(header.size, block);
  block.write(octal(header.mtimeSeconds | 0, 11), 136, "latin1");
  block[156] = 0x30 + header.typeflag;
  if (header.linkname) block.write(header.linkname, 157, "utf8");
  USTAR_MAGIC.copy(block, 257);
  block.write(octal(0, 6), 329, "latin1"); // devmajor
  block.write(octal(0, 6), 337, "latin1"); // devminor
  if (header.prefix) block.write(header.prefix, 345, "utf8");
  let sum = 8 * 32;
  for (let i = 0; i < 148; i += 1) sum += block[i];
  for (let i = 156; i < BLOCK; i += 1) sum += block[i];
  block.write(octal(sum, 6), 148, "latin1");
  return block;
};

/** Splits a long ASCII name into ustar's prefix and name, or null when it does not fit. */
const splitName = (name: string): { name: string; prefix: string } | null => {
  if (Buffer.byteLength(name) !== name.length) return null;
  let rest = name;
  let prefix = "";
  while (rest.length > 100) {
    const slash = rest.indexOf("/");
    if (slash === -1) return null;
    prefix += prefix ? `/${rest.slice(0, slash)}` : rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  if (prefix.length > 155) return null;
  return { name: rest, prefix };
};

const paxRecord = (text: string) => {
  const length = Buffer.byteLength(text);
  let digits = Math.floor(Math.log10(length)) + 1;
  if (length + digits >= 10 ** digits) digits += 1;
  return `${length + digits}${text}`;
};

/** The header block(s) of one entry: 512 bytes, or a PAX header, its records (padded) and the entry's block. */
export const encodeTarHeader = (header: TarHeader): Buffer => {
  const size = header.type === "file" ? header.size : 0;
  const typeflag = TYPEFLAG[header.type];
  const split = splitName(header.name);
  const linkFits = !header.linkname || Buffer.byteLength(header.linkname) <= 100;
  if (split && linkFits) return encodeBlock({ ...split, typeflag, mode: header.mode, mtimeSeconds: header.mtimeSeconds, size, linkname: header.linkname });

  let records = paxRecord(` path=${header.name}\n`);
  if (header.linkname) records += paxRecord(` linkpath=${header.linkname}\n`);
  const pax = Buffer.from(records, "utf8");
  const common = { name: "PaxHeader", prefix: "", mode: header.mode, mtimeSeconds: header.mtimeSeconds, linkname: header.linkname && "PaxHeader" };
  const padding = (BLOCK - (pax.length % BLOCK)) % BLOCK;
  return Buffer.concat([
    encodeBlock({ ...common, typeflag: TYPEFLAG["pax-header"], size: pax.length }),
    pax,
    Buffer.alloc(padding),
    encodeBlock({ ...common, typeflag, size }),
  ]);
};

/** Zero bytes that round a body of `size` bytes up to a whole block. */
export const paddingFor = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
