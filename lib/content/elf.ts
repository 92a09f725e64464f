// Reads the dynamic-linking facts of an ELF file (PT_INTERP, DT_NEEDED, RPATH/RUNPATH, SONAME).
// STUB (issue 11, the analysers' helper replaces it): the indexer calls it for every regular
// file that starts with the ELF magic, with at most ELF_READ_MAX_BYTES of its content.
import type { ElfInfo } from "@/lib/content/types";

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
/** Files are buffered up to this many bytes to read their headers; bigger ones are read from their start only. */
export const ELF_READ_MAX_BYTES = 64 * 1024 * 1024;

export const readElfInfo = (_content: Buffer): ElfInfo | null => null;
