"use client";
// The layers of one image, sortable by position, size or instruction from the header.
import { useState } from "react";
import { Bytes } from "@/components/ui/bytes";
import type { LayerDto } from "@/lib/types";

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

const SortHeader = ({ label, sortKey, sort, onSort, className = "" }: { label: string; sortKey: SortKey; sort: Sort; onSort: (key: SortKey) => void; className?: string }) => {
  const isActive = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={isActive ? sort.direction : "none"} className={`px-2 py-2 font-medium ${className}`}>
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
    <div className="overflow-x-auto">
      <table className="w-full min-w-[36rem] text-left text-sm" data-testid="layer-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-300">
          <tr>
            <SortHeader label="#" sortKey="position" sort={sort} onSort={onSort} className="w-12" />
            <SortHeader label="Instruction" sortKey="instruction" sort={sort} onSort={onSort} />
            <SortHeader label="Size" sortKey="size" sort={sort} onSort={onSort} className="w-28 text-right" />
            <th scope="col" className="w-36 px-2 py-2 font-medium">
              Flags
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((layer) => (
            <tr key={layer.position} data-position={layer.position} className={layer.isEmpty ? "text-slate-500 dark:text-slate-400" : ""}>
              <td className="px-2 py-1.5 tabular-nums">{layer.position}</td>
              <td className="max-w-0 px-2 py-1.5">
                <p className="line-clamp-3 break-words font-mono text-xs" title={layer.instruction}>
                  {layer.instruction || "—"}
                </p>
              </td>
              <td className="px-2 py-1.5 text-right" data-size={layer.size}>
                <Bytes value={layer.size} />
              </td>
              <td className="px-2 py-1.5">
                <span className="flex flex-wrap gap-1 text-xs">
                  {layer.isFromBase && <span className="rounded bg-slate-200 px-1.5 py-0.5 dark:bg-slate-700">from base</span>}
                  {layer.isEmpty && <span className="rounded border border-slate-300 px-1.5 py-0.5 dark:border-slate-600">empty</span>}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
