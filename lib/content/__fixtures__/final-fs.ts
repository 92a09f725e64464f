// Builds FinalFilesystem values for the analysers' unit tests, from hand-written entries or
// from the listing captured on a real image (__fixtures__/multi-stage/capture.sh).
import fs from "node:fs";
import path from "node:path";
import type { ElfInfo, FinalEntry, FinalFilesystem } from "@/lib/content/types";

export type EntrySpec = { path: string; layer?: number; size?: number; mode?: number; elf?: ElfInfo } & (
  | { kind: "file" | "dir" }
  | { kind: "symlink" | "hardlink"; linkTarget: string }
);

export const entry = (spec: EntrySpec): FinalEntry => ({
  uid: 0,
  gid: 0,
  size: spec.kind === "file" ? (spec.size ?? 0) : 0,
  mode: spec.mode ?? (spec.kind === "dir" ? 0o40755 : spec.kind === "symlink" ? 0o120777 : 0o100755),
  layer: spec.layer ?? 0,
  ...spec,
});

export const file = (p: string, size: number, layer = 0, extra: Partial<EntrySpec> = {}) => entry({ kind: "file", path: p, size, layer, ...extra } as EntrySpec);
export const symlink = (p: string, linkTarget: string, layer = 0) => entry({ kind: "symlink", path: p, linkTarget, layer });
export const dir = (p: string, layer = 0) => entry({ kind: "dir", path: p, layer });

export const finalFs = (entries: FinalEntry[], captured: Record<string, { content: string; layer?: number }> = {}): FinalFilesystem => ({
  entries: new Map(entries.map((e) => [e.path, e])),
  captured: new Map(Object.entries(captured).map(([p, c]) => [p, { content: c.content, layer: c.layer ?? 0 }])),
});

const FIXTURES = path.join(__dirname, "multi-stage");
export const readFixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");

/** The captured listing of the multi-stage image: `layerOf` places each path in a layer (0 = base). */
export const capturedEntries = (layerOf: (p: string) => number): FinalEntry[] =>
  readFixture("listing.tsv")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [type, size, mode, rawPath, target] = line.split("\t");
      const p = rawPath === "/." ? "/" : rawPath;
      const perm = parseInt(mode, 8);
      if (type === "l") return entry({ kind: "symlink", path: p, linkTarget: target, layer: layerOf(p) });
      if (type === "d") return entry({ kind: "dir", path: p, layer: layerOf(p), mode: 0o40000 | perm });
      return entry({ kind: "file", path: p, size: Number(size), layer: layerOf(p), mode: 0o100000 | perm });
    })
    .filter((e) => e.path !== "/");

/** The captured package databases, as the indexer would keep them. */
export const capturedDatabases = (layers: { dpkg: number; venv: number }): Record<string, { content: string; layer: number }> => {
  const out: Record<string, { content: string; layer: number }> = {
    "/var/lib/dpkg/status": { content: readFixture("status"), layer: layers.dpkg },
    "/etc/ld.so.conf": { content: readFixture("ld.so.conf"), layer: 0 },
    "/etc/ld.so.conf.d/x86_64-linux-gnu.conf": { content: readFixture("x86_64-linux-gnu.conf"), layer: 0 },
  };
  for (const name of fs.readdirSync(path.join(FIXTURES, "info"))) {
    out[`/var/lib/dpkg/info/${name}`] = { content: readFixture(`info/${name}`), layer: layers.dpkg };
  }
  for (const dist of fs.readdirSync(path.join(FIXTURES, "dist-info"))) {
    for (const name of ["RECORD", "METADATA"]) {
      out[`/opt/venv/lib/python3.11/site-packages/${dist}/${name}`] = { content: readFixture(`dist-info/${dist}/${name}`), layer: layers.venv };
    }
  }
  return out;
};

export const pythonElf = (): ElfInfo => JSON.parse(readFixture("elf-python3.11.json")) as ElfInfo;
