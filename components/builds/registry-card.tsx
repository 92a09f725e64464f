// The build page's registry and pull-cost card (issue 17): where the compressed size comes from,
// which definition the image store gives the numbers, the push, the registry base image, and
// what a pull downloads on an empty node and on one that already has the base or a sibling.
import { Bytes } from "@/components/ui/bytes";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import type { BuildRegistryView } from "@/lib/data/pull-views";
import { imageStoreLabel } from "@/lib/docker/image-store";

const SOURCE_LABEL: Record<string, string> = {
  MANIFEST: "from the pushed manifest",
  ESTIMATED: "estimated (gzip of each layer, no registry manifest)",
  CONTENT_STORE: "from the containerd content store",
};

const seconds = (value: number) => (value < 10 ? `${value.toFixed(1)} s` : `${Math.round(value)} s`);

const Row = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <div className="min-w-0">
    <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
    <dd className="break-words text-sm">{children}</dd>
  </div>
);

export const RegistryCard = ({ view }: { view: BuildRegistryView }) => {
  const cost = view.pullCost;
  const mbit = cost ? Math.round((cost.bandwidthBytesPerSecond * 8) / 1_000_000) : null;
  return (
    <Card title="Registry and pull cost">
      <div className="space-y-4" data-testid="registry-card">
        {view.push?.status === "FAILED" && (
          <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100">
            <p className="font-semibold">Pushed: failed. The build itself succeeded.</p>
            <p className="mt-1 break-words font-mono text-xs" data-testid="push-error">{view.push.error}</p>
          </div>
        )}
        <dl className="grid grid-cols-1 gap-x-4 gap-y-3 sm:grid-cols-2">
          <Row label="Compressed size">
            {view.compressedSize === null ? "not known yet (estimated in the pass after the content analysis)" : <Bytes value={view.compressedSize} />}{" "}
            {view.compressedSource && <span className="text-xs text-slate-500 dark:text-slate-400">{SOURCE_LABEL[view.compressedSource] ?? view.compressedSource}</span>}
          </Row>
          <Row label="Image store">{imageStoreLabel(view.imageStore)}</Row>
          {view.push && (
            <Row label="Push">
              <span data-testid="push-status">{view.push.status === "PUSHED" ? "pushed" : view.push.status === "FAILED" ? "failed" : "skipped"}</span>
              {view.push.ref && <span className="block break-all font-mono text-xs">{view.push.ref}</span>}
              {view.push.digest && <span className="block break-all font-mono text-xs text-slate-500 dark:text-slate-400">{view.push.digest}</span>}
              {view.push.status === "SKIPPED" && view.push.error && <span className="block text-xs">{view.push.error}</span>}
            </Row>
          )}
          {view.baseImage && (
            <Row label="Registry base image">
              <span className="block break-all font-mono text-xs">{view.baseImage.ref}</span>
              <span className="block break-all font-mono text-xs text-slate-500 dark:text-slate-400">{view.baseImage.digest ?? "digest unknown"}</span>
              {view.baseImage.changedFromPrevious && <span className="mt-1 inline-block rounded bg-sky-100 px-1.5 text-xs text-sky-900 dark:bg-sky-900 dark:text-sky-100">changed since the previous build</span>}
            </Row>
          )}
        </dl>
        {cost ? (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[18rem] text-sm" data-testid="pull-cost">
              <caption className="mb-1 text-left text-xs text-slate-500 dark:text-slate-400">What a pull downloads (each layer once), at {mbit} Mbit/s</caption>
              <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
                <tr>
                  <th scope="row" className="py-1 pr-2 text-left font-normal">On an empty node</th>
                  <td className="py-1 text-right"><Bytes value={cost.compressedTotal} /></td>
                  <td className="py-1 pl-2 text-right tabular-nums text-slate-500 dark:text-slate-400">{seconds(cost.pullSeconds)}</td>
                </tr>
                <tr>
                  <th scope="row" className="py-1 pr-2 text-left font-normal">On a node with the base image</th>
                  <td className="py-1 text-right"><Bytes value={cost.withBaseBytes} /></td>
                  <td className="py-1 pl-2 text-right tabular-nums text-slate-500 dark:text-slate-400">{seconds(cost.withBasePullSeconds)}</td>
                </tr>
                <tr>
                  <th scope="row" className="py-1 pr-2 text-left font-normal">Shared with the previous build</th>
                  <td className="py-1 text-right">{cost.sharedWithPreviousBytes === null ? "no previous build" : <Bytes value={cost.sharedWithPreviousBytes} />}</td>
                  <td />
                </tr>
                <tr>
                  <th scope="row" className="py-1 pr-2 text-left font-normal">Shared with other variants</th>
                  <td className="py-1 text-right"><Bytes value={cost.sharedWithOtherVariantsBytes} /></td>
                  <td />
                </tr>
              </tbody>
            </table>
          </div>
        ) : (
          <EmptyState title="No compressed sizes yet">They come from the pushed manifest, or from the content analysis when no registry is set.</EmptyState>
        )}
      </div>
    </Card>
  );
};
