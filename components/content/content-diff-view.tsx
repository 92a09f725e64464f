// One content diff (B − A) as tables: totals, directories grouped at a top depth with their
// largest changed paths, whole directories only one side has, and packages that differ.
import type { ContentDiff, DiffGroup } from "@/lib/content/diff";
import { formatBytes, formatDelta } from "@/lib/format/bytes";
import { Table } from "@/components/ui/table";
import { Bytes } from "@/components/ui/bytes";

const deltaClass = (delta: number) => (delta > 0 ? "text-red-700 dark:text-red-300" : delta < 0 ? "text-emerald-700 dark:text-emerald-300" : "");

const Delta = ({ value }: { value: number }) => <span className={`whitespace-nowrap tabular-nums ${deltaClass(value)}`}>{formatDelta(value)}</span>;

const GroupRows = ({ group, label }: { group: DiffGroup; label: string }) => (
  <tr data-testid="content-diff-group" data-key={group.key} data-delta={group.delta}>
    <td className="align-top">
      <details>
        <summary className="cursor-pointer break-all font-mono text-xs">{label}</summary>
        <ul className="mt-1 space-y-0.5 text-xs">
          {group.top.map((c) => (
            <li key={c.path} className="break-all font-mono" data-testid="content-diff-path" data-change={c.change}>
              <span className="mr-1 inline-block w-14 text-[10px] uppercase text-slate-500">{c.change}</span>
              {c.path} <Delta value={c.delta} />
            </li>
          ))}
          {group.more > 0 && <li className="text-slate-500">…and {group.more} more</li>}
        </ul>
      </details>
    </td>
    <td className="whitespace-nowrap text-right align-top tabular-nums">{group.added ? `+${group.added} (${formatBytes(group.addedBytes)})` : "—"}</td>
    <td className="hidden whitespace-nowrap text-right align-top tabular-nums sm:table-cell">{group.removed ? `−${group.removed} (${formatBytes(group.removedBytes)})` : "—"}</td>
    <td className="text-right align-top">
      <Delta value={group.delta} />
    </td>
  </tr>
);

export const ContentDiffView = ({ diff, labelA, labelB }: { diff: ContentDiff; labelA: string; labelB: string }) => {
  const { totals } = diff;
  return (
    <div className="space-y-4" data-testid="content-diff" data-delta={totals.delta} data-added={totals.added} data-removed={totals.removed}>
      <p className="text-sm" data-testid="content-diff-summary">
        <strong>{labelB}</strong> against <strong>{labelA}</strong>: <Delta value={totals.delta} /> of file bytes ({totals.filesA.toLocaleString("en")} →{" "}
        {totals.filesB.toLocaleString("en")} files) · {totals.added.toLocaleString("en")} added (<Bytes value={totals.addedBytes} />),{" "}
        {totals.removed.toLocaleString("en")} removed (<Bytes value={totals.removedBytes} />), {totals.resized} resized, {totals.changed} changed · packages +
        {totals.packagesAdded} −{totals.packagesRemoved} ~{totals.packagesChanged}
      </p>
      {diff.byDirectory.length === 0 && diff.packages.length === 0 ? (
        <p className="text-sm text-slate-500">The two images hold the same files.</p>
      ) : (
        <div className="grid gap-4 xl:grid-cols-2">
          <div>
            <h3 className="mb-1 text-sm font-medium">By directory (depth {diff.groupDepth})</h3>
            <Table caption={`Changed paths of ${labelB} against ${labelA}, by directory`}>
              <thead>
                <tr>
                  <th>Directory</th>
                  <th className="whitespace-nowrap text-right">Added</th>
                  <th className="hidden text-right sm:table-cell">Removed</th>
                  <th className="whitespace-nowrap text-right">Change</th>
                </tr>
              </thead>
              <tbody>
                {diff.byDirectory.map((g) => (
                  <GroupRows key={g.key} group={g} label={g.key} />
                ))}
              </tbody>
            </Table>
            {diff.byDirectoryMore > 0 && <p className="mt-1 text-xs text-slate-500">…and {diff.byDirectoryMore} more directories</p>}
          </div>
          <div>
            <h3 className="mb-1 text-sm font-medium">By package</h3>
            {diff.packages.length === 0 ? (
              <p className="text-sm text-slate-500">The same packages, with the same bytes.</p>
            ) : (
              <Table caption={`Packages that differ between ${labelA} and ${labelB}`}>
                <thead>
                  <tr>
                    <th>Package</th>
                    <th className="hidden sm:table-cell">Change</th>
                    <th className="whitespace-nowrap text-right">{labelA.length > 16 ? "A" : labelA}</th>
                    <th className="whitespace-nowrap text-right">{labelB.length > 16 ? "B" : labelB}</th>
                    <th className="whitespace-nowrap text-right">Δ</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.packages.map((p) => (
                    <tr key={p.key} data-testid="content-diff-package" data-package={p.key} data-change={p.change}>
                      <td className="break-all font-mono text-xs">{p.name}</td>
                      <td className="hidden text-xs sm:table-cell">
                        {p.change}
                        {p.change === "version" ? ` ${p.versionA} → ${p.versionB}` : ""}
                      </td>
                      <td className="whitespace-nowrap text-right">{p.versionA === null ? "—" : <Bytes value={p.bytesA} />}</td>
                      <td className="whitespace-nowrap text-right">{p.versionB === null ? "—" : <Bytes value={p.bytesB} />}</td>
                      <td className="whitespace-nowrap text-right">
                        <Delta value={p.delta} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
            {diff.packagesMore > 0 && <p className="mt-1 text-xs text-slate-500">…and {diff.packagesMore} more packages</p>}
          </div>
        </div>
      )}
      {diff.directories.length > 0 && (
        <details>
          <summary className="cursor-pointer text-sm font-medium">Whole directories only one image has ({diff.directories.length + diff.directoriesMore})</summary>
          <ul className="mt-2 space-y-0.5 text-xs">
            {diff.directories.map((d) => (
              <li key={`${d.change}:${d.path}`} className="break-all font-mono" data-testid="content-diff-directory" data-change={d.change}>
                <span className="mr-1 inline-block w-14 text-[10px] uppercase text-slate-500">{d.change === "added" ? `in B` : `in A`}</span>
                {d.path}/ · {d.files} files · <Bytes value={d.bytes} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
};
