// The compare page's package × build matrix: one row per package found in any build, the
// bytes it holds in each, largest first; bounded to `maxRows` with a count of the rest.
import { packageKey } from "@/lib/content/diff";
import type { PackageEcosystem, PackageRecord } from "@/lib/content/types";

export type MatrixColumn = { buildId: string; packages: PackageRecord[] | null };

export type MatrixRow = {
  key: string;
  ecosystem: PackageEcosystem;
  name: string;
  /** Bytes per column, in column order; null where the build does not have the package. */
  bytes: (number | null)[];
  versions: (string | null)[];
  /** True when some analysed build has it and another does not. */
  differs: boolean;
};

export type PackageMatrix = { buildIds: string[]; rows: MatrixRow[]; more: number };

export const buildPackageMatrix = (columns: MatrixColumn[], maxRows = 60): PackageMatrix => {
  const rows = new Map<string, MatrixRow>();
  columns.forEach((column, i) => {
    for (const p of column.packages ?? []) {
      const key = packageKey(p);
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { key, ecosystem: p.ecosystem, name: p.name, bytes: columns.map(() => null), versions: columns.map(() => null), differs: false }));
      row.bytes[i] = (row.bytes[i] ?? 0) + p.bytes;
      row.versions[i] ??= p.version;
    }
  });
  const analysed = columns.map((c, i) => (c.packages ? i : -1)).filter((i) => i >= 0);
  const all = [...rows.values()].map((row) => ({ ...row, differs: analysed.some((i) => row.bytes[i] === null) || new Set(analysed.map((i) => row.bytes[i])).size > 1 }));
  const peak = (row: MatrixRow) => Math.max(...row.bytes.map((b) => b ?? 0));
  all.sort((a, b) => Number(b.differs) - Number(a.differs) || peak(b) - peak(a) || a.key.localeCompare(b.key));
  return { buildIds: columns.map((c) => c.buildId), rows: all.slice(0, maxRows), more: Math.max(0, all.length - maxRows) };
};
