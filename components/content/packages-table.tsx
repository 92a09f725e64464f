"use client";
// Who owns the bytes: every package of the final image with its exact bytes, files and the
// layer that added it, sortable; then the files no package owns, by directory.
import { useMemo, useState } from "react";
import type { PackageRecord, UnownedGroup } from "@/lib/content/types";
import { Table } from "@/components/ui/table";
import { Bytes } from "@/components/ui/bytes";
import { layerInstruction, layerNumber, type LayerRef } from "@/components/content/layer-ref";

type SortKey = "bytes" | "name" | "files" | "layer";

const MAX_ROWS = 30;

const compare: Record<SortKey, (a: PackageRecord, b: PackageRecord) => number> = {
  bytes: (a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name),
  name: (a, b) => a.name.localeCompare(b.name) || a.ecosystem.localeCompare(b.ecosystem),
  files: (a, b) => b.files - a.files || b.bytes - a.bytes,
  layer: (a, b) => (b.layer ?? -1) - (a.layer ?? -1) || b.bytes - a.bytes,
};

export const PackagesTable = ({ packages, unowned, layers }: { packages: PackageRecord[]; unowned: UnownedGroup[]; layers: LayerRef[] }) => {
  const [sort, setSort] = useState<SortKey>("bytes");
  const [showAll, setShowAll] = useState(false);
  const sorted = useMemo(() => [...packages].sort(compare[sort]), [packages, sort]);
  const shown = showAll ? sorted : sorted.slice(0, MAX_ROWS);
  const total = packages.reduce((n, p) => n + p.bytes, 0);
  const unownedBytes = unowned.reduce((n, g) => n + g.bytes, 0);

  const header = (key: SortKey, label: string, className = "") => (
    <th className={className} aria-sort={sort === key ? (key === "name" ? "ascending" : "descending") : "none"}>
      <button type="button" onClick={() => setSort(key)} className={`uppercase hover:underline ${sort === key ? "text-slate-900 dark:text-slate-100" : ""}`}>
        {label}
        {sort === key ? (key === "name" ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );

  if (!packages.length && !unowned.length) return <p className="text-sm text-slate-500">No package database was found in the image.</p>;

  return (
    <div className="space-y-4" data-testid="packages-table">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {packages.length} packages hold <Bytes value={total} />; <Bytes value={unownedBytes} /> belong to no package.
      </p>
      {packages.length > 0 && (
        <Table caption="Packages in the final image">
          <thead>
            <tr>
              {header("name", "Package")}
              <th className="hidden sm:table-cell">Version</th>
              {header("bytes", "Bytes", "text-right")}
              {header("files", "Files", "hidden text-right sm:table-cell")}
              {header("layer", "Layer", "hidden md:table-cell")}
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={`${p.ecosystem}:${p.name}:${p.location ?? ""}`} data-testid="package-row" data-package={`${p.ecosystem}:${p.name}`} data-bytes={p.bytes}>
                <td className="break-all">
                  <span className="font-mono text-xs">{p.name}</span> <span className="text-[10px] uppercase text-slate-500">{p.ecosystem}</span>
                  {p.location && <span className="block font-mono text-[10px] text-slate-500">{p.location}</span>}
                </td>
                <td className="hidden break-all font-mono text-xs sm:table-cell">{p.version}</td>
                <td className="whitespace-nowrap text-right">
                  <Bytes value={p.bytes} />
                </td>
                <td className="hidden text-right tabular-nums sm:table-cell">{p.files}</td>
                <td className="hidden max-w-[16rem] truncate text-xs md:table-cell" title={p.layer === null ? "" : layerInstruction(layers, p.layer)}>
                  {p.layer === null ? "—" : `${layerNumber(layers, p.layer)}: ${layerInstruction(layers, p.layer)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {sorted.length > MAX_ROWS && (
        <button type="button" onClick={() => setShowAll((v) => !v)} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          {showAll ? `Show the largest ${MAX_ROWS}` : `Show all ${sorted.length} packages`}
        </button>
      )}
      {unowned.length > 0 && (
        <details>
          <summary className="cursor-pointer text-sm font-medium">Files owned by no package ({unowned.length} directories)</summary>
          <Table caption="Files owned by no package, by directory" className="mt-2">
            <thead>
              <tr>
                <th>Directory</th>
                <th className="whitespace-nowrap text-right">Bytes</th>
                <th className="whitespace-nowrap text-right">Files</th>
              </tr>
            </thead>
            <tbody>
              {unowned.slice(0, MAX_ROWS).map((g) => (
                <tr key={g.directory} data-testid="unowned-row">
                  <td className="break-all font-mono text-xs">{g.directory}</td>
                  <td className="whitespace-nowrap text-right">
                    <Bytes value={g.bytes} />
                  </td>
                  <td className="text-right tabular-nums">{g.files}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </details>
      )}
    </div>
  );
};
