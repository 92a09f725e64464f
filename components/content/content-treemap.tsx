"use client";
// The final filesystem by directory: a Recharts treemap of the current directory's largest
// children, coloured by how much of each comes from the image's own layers (base image grey),
// click a directory to zoom in, a breadcrumb to zoom out, and the same rows as a table beside
// it. Deeper levels come from GET /api/builds/:id/content/tree as the user zooms.
import { useCallback, useState } from "react";
import { ResponsiveContainer, Tooltip, Treemap, type TooltipContentProps } from "recharts";
import { formatBytes, formatExactBytes } from "@/lib/format/bytes";
import type { TreeNode } from "@/lib/content/tree";
import { BASE_LAYER_COLOR, shadeColor } from "@/components/ui/palette";
import { Table } from "@/components/ui/table";
import { ErrorState } from "@/components/ui/states";
import { Bytes } from "@/components/ui/bytes";

export const OWN_LAYER_COLOR = "#4f46e5";

// Base grey at 0 % own bytes, the own colour at 100 %, three steps between.
const fillFor = (node: Pick<TreeNode, "bytes" | "ownBytes" | "kind">) => {
  if (node.kind === "other") return shadeColor(BASE_LAYER_COLOR, 0.35);
  const share = node.bytes ? node.ownBytes / node.bytes : 0;
  if (share >= 0.75) return OWN_LAYER_COLOR;
  if (share >= 0.25) return shadeColor(OWN_LAYER_COLOR, 0.45);
  return BASE_LAYER_COLOR;
};

type CellProps = { x?: number; y?: number; width?: number; height?: number; name?: string; bytes?: number; ownBytes?: number; kind?: TreeNode["kind"]; depth?: number };

const Cell = (props: CellProps) => {
  const { x = 0, y = 0, width = 0, height = 0, name = "", bytes = 0, ownBytes = 0, kind = "dir", depth = 0 } = props;
  if (depth === 0) return <g />;
  const fill = fillFor({ bytes, ownBytes, kind });
  const showLabel = width > 56 && height > 28;
  return (
    <g style={{ cursor: kind === "dir" ? "pointer" : "default" }}>
      <rect x={x} y={y} width={width} height={height} fill={fill} stroke="#fff" strokeWidth={2} />
      {showLabel && (
        <>
          <text x={x + 6} y={y + 16} fill="#fff" fontSize={12} fontWeight={600} style={{ pointerEvents: "none" }}>
            {name.length > width / 7 ? `${name.slice(0, Math.max(3, Math.floor(width / 7) - 1))}…` : name}
            {kind === "dir" ? "/" : ""}
          </text>
          {height > 44 && (
            <text x={x + 6} y={y + 32} fill="#fff" fontSize={11} style={{ pointerEvents: "none" }}>
              {formatBytes(bytes)}
            </text>
          )}
        </>
      )}
    </g>
  );
};

const CellTooltip = ({ active, payload }: Pick<TooltipContentProps, "active" | "payload">) => {
  const node = active ? (payload?.[0]?.payload as TreeNode | undefined) : undefined;
  if (!node) return null;
  return (
    <div className="max-w-xs rounded-md border border-slate-200 bg-white p-2 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-900">
      <p className="break-all font-mono font-semibold">{node.kind === "other" ? node.name : node.path}</p>
      <p className="mt-1 tabular-nums">
        {formatBytes(node.bytes)} · {formatExactBytes(node.bytes)} · {node.files} file{node.files === 1 ? "" : "s"}
      </p>
      <p className="tabular-nums">
        own layers {formatBytes(node.ownBytes)} · base image {formatBytes(node.baseBytes)}
      </p>
    </div>
  );
};

const crumbsOf = (path: string) => {
  const parts = path === "/" ? [] : path.slice(1).split("/");
  return [{ path: "/", label: "/" }, ...parts.map((part, i) => ({ path: `/${parts.slice(0, i + 1).join("/")}`, label: part }))];
};

const percentOf = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)} %` : "—");

export const ContentTreemap = ({ buildId, initial }: { buildId: string; initial: TreeNode }) => {
  const [nodes, setNodes] = useState<Map<string, TreeNode>>(() => new Map([[initial.path, initial]]));
  const [path, setPath] = useState(initial.path);
  const [loading, setLoading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const node = nodes.get(path) ?? initial;

  const zoomTo = useCallback(
    async (target: string) => {
      setError(null);
      if (nodes.has(target)) return setPath(target);
      setLoading(target);
      try {
        const response = await fetch(`/api/builds/${encodeURIComponent(buildId)}/content/tree?path=${encodeURIComponent(target)}&depth=1`);
        const body = await response.json();
        if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
        setNodes((current) => new Map(current).set(target, body.tree as TreeNode));
        setPath(target);
      } catch (e) {
        setError(`Could not open ${target}: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        setLoading(null);
      }
    },
    [buildId, nodes],
  );

  const children = node.children ?? [];
  const charted = children.filter((c) => c.bytes > 0);

  return (
    <div className="space-y-3" data-testid="content-treemap" data-path={path}>
      <nav aria-label="Directory" className="flex flex-wrap items-center gap-1 text-sm">
        {crumbsOf(path).map((crumb, i, all) => (
          <span key={crumb.path} className="flex items-center gap-1">
            {i > 0 && <span className="text-slate-400">/</span>}
            {i === all.length - 1 ? (
              <span className="font-mono font-semibold" aria-current="location">
                {crumb.label}
              </span>
            ) : (
              <button type="button" onClick={() => zoomTo(crumb.path)} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
                {crumb.label}
              </button>
            )}
          </span>
        ))}
        <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">
          <Bytes value={node.bytes} /> · {node.files} files{loading ? ` · opening ${loading}…` : ""}
        </span>
      </nav>
      {error && <ErrorState title="Treemap" message={error} />}
      <div className="grid gap-4 lg:grid-cols-5">
        <figure className="lg:col-span-3">
          {charted.length ? (
            <div className="h-72 sm:h-80" data-testid="content-treemap-chart">
              <ResponsiveContainer width="100%" height="100%">
                <Treemap
                  data={charted}
                  dataKey="bytes"
                  nameKey="name"
                  aspectRatio={4 / 3}
                  isAnimationActive={false}
                  content={<Cell />}
                  onClick={(clicked) => {
                    const target = clicked as unknown as TreeNode;
                    if (target.kind === "dir") void zoomTo(target.path);
                  }}
                >
                  <Tooltip content={({ active, payload }) => <CellTooltip active={active} payload={payload} />} isAnimationActive={false} />
                </Treemap>
              </ResponsiveContainer>
            </div>
          ) : (
            <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500 dark:border-slate-700">No file bytes under {path}.</p>
          )}
          <figcaption className="mt-2 flex flex-wrap gap-3 text-xs text-slate-600 dark:text-slate-300">
            <span className="flex items-center gap-1">
              <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ background: OWN_LAYER_COLOR }} /> mostly the image&apos;s own layers
            </span>
            <span className="flex items-center gap-1">
              <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ background: shadeColor(OWN_LAYER_COLOR, 0.45) }} /> mixed
            </span>
            <span className="flex items-center gap-1">
              <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ background: BASE_LAYER_COLOR }} /> mostly the base image
            </span>
            <span>Click a directory to open it.</span>
          </figcaption>
        </figure>
        <div className="lg:col-span-2">
          <Table caption={`Largest entries under ${path}`} data-testid="content-tree-table">
            <thead>
              <tr>
                <th>Name</th>
                <th className="whitespace-nowrap text-right">Size</th>
                <th className="hidden text-right sm:table-cell">Own</th>
                <th className="whitespace-nowrap text-right">Share</th>
              </tr>
            </thead>
            <tbody>
              {children.map((child) => (
                <tr key={child.path} data-testid="content-tree-row" data-path={child.path}>
                  <td className="max-w-[12rem] break-all font-mono text-xs">
                    {child.kind === "dir" ? (
                      <button type="button" onClick={() => zoomTo(child.path)} className="text-left text-indigo-700 hover:underline dark:text-indigo-300">
                        {child.name}/
                      </button>
                    ) : (
                      child.name
                    )}
                  </td>
                  <td className="whitespace-nowrap text-right">
                    <Bytes value={child.bytes} />
                  </td>
                  <td className="hidden text-right sm:table-cell">
                    <Bytes value={child.ownBytes} />
                  </td>
                  <td className="text-right tabular-nums">{percentOf(child.bytes, node.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      </div>
    </div>
  );
};
