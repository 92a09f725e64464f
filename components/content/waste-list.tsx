// Exact waste (docs/content-analysis.md): bytes a higher layer overwrote or deleted, own and
// base layers apart, each with the layer that holds the dead copy and the one that hid it;
// then duplicate content.
import type { WasteReport } from "@/lib/content/types";
import { Table } from "@/components/ui/table";
import { Bytes } from "@/components/ui/bytes";
import { layerInstruction, layerNumber, type LayerRef as Ref } from "@/components/content/layer-ref";

const MAX_ITEMS = 25;

const LayerRef = ({ layer, layers }: { layer: number; layers: Ref[] }) => (
  <span title={layerInstruction(layers, layer)}>
    layer {layerNumber(layers, layer)}
    {layerInstruction(layers, layer) && <span className="block max-w-[14rem] truncate font-mono text-[10px] text-slate-500">{layerInstruction(layers, layer)}</span>}
  </span>
);

export const WasteList = ({ waste, layers }: { waste: WasteReport; layers: Ref[] }) => {
  const reclaimable = waste.ownReclaimableBytes + waste.baseReclaimableBytes;
  return (
    <div className="space-y-3" data-testid="waste-list" data-own={waste.ownReclaimableBytes} data-base={waste.baseReclaimableBytes}>
      <dl className="grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Reclaimable, own layers</dt>
          <dd className="font-semibold">
            <Bytes value={waste.ownReclaimableBytes} />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Reclaimable, base image</dt>
          <dd>
            <Bytes value={waste.baseReclaimableBytes} />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Duplicate content</dt>
          <dd>
            <Bytes value={waste.duplicateBytes} />
          </dd>
        </div>
      </dl>
      {reclaimable === 0 && waste.duplicateBytes === 0 ? (
        <p className="text-sm text-slate-500">No layer overwrites or deletes bytes of a lower one, and no content is stored twice.</p>
      ) : null}
      {waste.items.length > 0 && (
        <Table caption="Bytes hidden by a later layer">
          <thead>
            <tr>
              <th>Path</th>
              <th className="whitespace-nowrap text-right">Bytes</th>
              <th>Dead copy in</th>
              <th className="hidden sm:table-cell">Hidden by</th>
            </tr>
          </thead>
          <tbody>
            {waste.items.slice(0, MAX_ITEMS).map((item) => (
              <tr key={`${item.path}:${item.layer}`} data-testid="waste-row">
                <td className="break-all font-mono text-xs">
                  {item.path} <span className="text-[10px] uppercase text-slate-500">{item.reason}</span>
                </td>
                <td className="whitespace-nowrap text-right">
                  <Bytes value={item.bytes} />
                </td>
                <td className="text-xs">
                  <LayerRef layer={item.layer} layers={layers} />
                </td>
                <td className="hidden text-xs sm:table-cell">
                  <LayerRef layer={item.byLayer} layers={layers} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {waste.items.length > MAX_ITEMS && <p className="text-xs text-slate-500">…and {waste.items.length - MAX_ITEMS} more (largest shown).</p>}
      {waste.duplicates.length > 0 && (
        <details>
          <summary className="cursor-pointer text-sm font-medium">Same content under several paths ({waste.duplicates.length})</summary>
          <ul className="mt-2 space-y-2 text-xs">
            {waste.duplicates.slice(0, MAX_ITEMS).map((d) => (
              <li key={d.sha256}>
                <Bytes value={d.extraBytes} /> extra ({d.paths.length} copies of <Bytes value={d.size} />):
                <span className="block break-all font-mono text-slate-600 dark:text-slate-300">{d.paths.slice(0, 6).join(", ")}{d.paths.length > 6 ? ", …" : ""}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
};
