// The compare page's package × build matrix: bytes of each package in each build, the
// packages that differ first.
import type { PackageMatrix } from "@/lib/content/package-matrix";
import { Table } from "@/components/ui/table";
import { Bytes } from "@/components/ui/bytes";

export const PackageMatrixTable = ({ matrix, labels }: { matrix: PackageMatrix; labels: Record<string, string> }) => (
  <div data-testid="package-matrix" data-rows={matrix.rows.length}>
    <Table caption="Packages by build, bytes">
      <thead>
        <tr>
          <th>Package</th>
          {matrix.buildIds.map((id) => (
            <th key={id} className="whitespace-nowrap text-right">
              {labels[id] ?? id}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.rows.map((row) => (
          <tr key={row.key} data-testid="package-matrix-row" data-package={row.key} data-differs={row.differs}>
            <td className="break-all">
              <span className="font-mono text-xs">{row.name}</span> <span className="text-[10px] uppercase text-slate-500">{row.ecosystem}</span>
            </td>
            {row.bytes.map((bytes, i) => (
              <td key={matrix.buildIds[i]} className={`whitespace-nowrap text-right ${bytes === null ? "text-slate-400" : ""}`} title={row.versions[i] ?? "not in this image"}>
                {bytes === null ? "—" : <Bytes value={bytes} />}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
    {matrix.more > 0 && <p className="mt-1 text-xs text-slate-500">…and {matrix.more} more packages (the same in every build or smaller).</p>}
  </div>
);
