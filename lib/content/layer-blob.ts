// The stored form of one layer's index (ContentLayer.blob): gzip of JSON lines — a header, then
// one array per entry ([path, kind, size, mode, uid, gid, linkTarget?, sha256?, elf?], trailing
// empty fields left out) and one object per captured file. One compressed blob per layer keeps a
// 100k-file layer to a few MB and one row. Pure.
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { ElfInfo, EntryKind, LayerEntry, LayerIndex, LayerStats } from "@/lib/content/types";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const LAYER_BLOB_VERSION = 1;

type Header = { v: number; diffId: string; stats: LayerStats; droppedEntries: number };
type EntryRow = [string, EntryKind, number, number, number, number, (string | null)?, (string | null)?, (ElfInfo | null)?];

export type StoredLayer = LayerIndex & { droppedEntries: number };

const toRow = (entry: LayerEntry): EntryRow => {
  const row: EntryRow = [entry.path, entry.kind, entry.size, entry.mode, entry.uid, entry.gid, entry.linkTarget ?? null, entry.sha256 ?? null, entry.elf ?? null];
  while (row.length > 6 && row[row.length - 1] === null) row.pop();
  return row;
};

const fromRow = (row: EntryRow): LayerEntry => {
  const entry: LayerEntry = { path: row[0], kind: row[1], size: row[2], mode: row[3], uid: row[4], gid: row[5] };
  if (row[6] != null) entry.linkTarget = row[6];
  if (row[7] != null) entry.sha256 = row[7];
  if (row[8] != null) entry.elf = row[8];
  return entry;
};

export const encodeLayerBlob = async (layer: StoredLayer): Promise<Buffer> => {
  const header: Header = { v: LAYER_BLOB_VERSION, diffId: layer.diffId, stats: layer.stats, droppedEntries: layer.droppedEntries };
  const lines = [JSON.stringify(header)];
  for (const entry of layer.entries) lines.push(JSON.stringify(toRow(entry)));
  for (const [path, content] of Object.entries(layer.captured)) lines.push(JSON.stringify({ captured: path, content }));
  return gzipAsync(Buffer.from(lines.join("\n"), "utf8"));
};

export const decodeLayerBlob = async (blob: Uint8Array): Promise<StoredLayer> => {
  const text = (await gunzipAsync(blob)).toString("utf8");
  const lines = text.split("\n");
  const header = JSON.parse(lines[0]) as Header;
  if (header.v !== LAYER_BLOB_VERSION) throw new Error(`layer index ${header.diffId}: unknown format version ${header.v}`);
  const entries: LayerEntry[] = [];
  const captured: Record<string, string> = {};
  for (let index = 1; index < lines.length; index += 1) {
    const value = JSON.parse(lines[index]) as EntryRow | { captured: string; content: string };
    if (Array.isArray(value)) entries.push(fromRow(value));
    else captured[value.captured] = value.content;
  }
  return { diffId: header.diffId, stats: header.stats, droppedEntries: header.droppedEntries, entries, captured };
};
