"use client";
// The layers of one image, sortable by position, size or instruction from the header.
import { useState } from "react";
import { Bytes } from "@/components/ui/bytes";
import { Table } from "@/components/ui/table";
import type { LayerDto } from "@/lib/types";
import { countLayers, describeLayerCounts, displayInstruction } from "@/lib/builds/layer-counts";

type SortKey = "position" | "size" | "instruction";
type Sort = { key: SortKey; direction: "ascending" | "descending" };

// Size reads best largest first; the others in natural order.
const FIRST_DIRECTION: Record<SortKey, Sort["direction"]> = { position: "ascending", size: "descending", instruction: "ascending" };

export const sortLayers = (layers: LayerDto[], sort: Sort): LayerDto[] => {
  const factor = sort.direction === "ascending" ? 1 : -1;
  const compare = (a: LayerDto, b: LayerDto) =>
    sort.key === "size" ? a.size - b.size : sort.key === "instruction" ? a.instruction.localeCompare(b.instruction) : a.position - b.position;
  return [...layers].sort((a, b) => factor * compare(a, b) || a.position - b.position);
};

// Sortable headers read as buttons: sentence case, a shade darker than the table's usual headers.
const HEAD = "py-2 normal-case tracking-normal text-slate-600 dark:text-slate-300";

const SortHeader = ({ label, sortKey, sort, onSort, className = "" }: { label: string; sortKey: SortKey; sort: Sort; onSort: (key: SortKey) => void; className?: string }) => {
  const isActive = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={isActive ? sort.direction : "none"} className={`${HEAD} ${className}`}>
      <button
        type="button"
        onClick={() => onSort(sortKey)}
        className="inline-flex items-center gap-1 rounded hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:text-white"
      >
        {label}
        <span aria-hidden="true" className={isActive ? "" : "opacity-30"}>
          {isActive && sort.direction === "descending" ? "↓" : "↑"}
        </span>
      </button>
    </th>
  );
};

export const LayerTable = ({ layers, caption }: { layers: LayerDto[]; caption: string }) => {
  const [sort, setSort] = useState<Sort>({ key: "position", direction: "ascending" });
  const onSort = (key: SortKey) =>
    setSort((current) =>
      current.key === key ? { key, direction: current.direction === "ascending" ? "descending" : "ascending" } : { key, direction: FIRST_DIRECTION[key] },
    );
  const rows = sortLayers(layers, sort);

  return (
    <div className="space-y-2">
      {/* Issue 13: the rows are history entries; how many are filesystem layers (the summary) and own layers (the chart). */}
      <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="layer-counts">
        {describeLayerCounts(countLayers(layers))}
      </p>
      <Table caption={caption} className="min-w-[36rem]" data-testid="layer-table">
        <thead className="dark:border-slate-700">
          <tr>
            <SortHeader label="#" sortKey="position" sort={sort} onSort={onSort} className="w-12" />
            <SortHeader label="Instruction" sortKey="instruction" sort={sort} onSort={onSort} />
            <SortHeader label="Size" sortKey="size" sort={sort} onSort={onSort} className="w-28 text-right" />
            <th scope="col" className={`w-36 ${HEAD}`}>
              Flags
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((layer) => (
            <tr key={layer.position} data-position={layer.position} className={layer.isEmpty ? "text-slate-500 dark:text-slate-400" : ""}>
              <td className="tabular-nums">{layer.position}</td>
              <td className="max-w-0">
                <p className="line-clamp-3 break-words font-mono text-xs" title={layer.instruction}>
                  {displayInstruction(layer.instruction) || "—"}
                </p>
              </td>
              <td className="text-right" data-size={layer.size}>
                <Bytes value={layer.size} />
              </td>
              <td>
                <span className="flex flex-wrap gap-1 text-xs">
                  {layer.isFromBase && <span className="rounded bg-slate-200 px-1.5 py-0.5 dark:bg-slate-700">from base</span>}
                  {layer.isEmpty && <span className="rounded border border-slate-300 px-1.5 py-0.5 dark:border-slate-600">empty</span>}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
};
