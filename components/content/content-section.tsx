// The build page's "Contents" cards: the analysis state (queued/running with progress,
// failed, none), then the treemap with its table, the file browser, packages and waste.
// The page reads the data (lib/data/content-views.ts) and passes it in.
import type { ContentAnalysisDto } from "@/lib/data/content";
import type { TreeNode } from "@/lib/content/tree";
import { Card } from "@/components/ui/card";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { Bytes } from "@/components/ui/bytes";
import { ContentProgress } from "@/components/content/content-progress";
import { ContentTreemap } from "@/components/content/content-treemap";
import { FileBrowser } from "@/components/content/file-browser";
import { PackagesTable } from "@/components/content/packages-table";
import { WasteList } from "@/components/content/waste-list";
import type { LayerRef } from "@/components/content/layer-ref";

export type ContentSectionProps = {
  buildId: string;
  analysis: ContentAnalysisDto | null;
  tree: TreeNode | null;
  /** Why the tree could not be read although the analysis succeeded. */
  treeError: string | null;
  /** History position and instruction of each content layer index (the image's non-empty layers, oldest first). */
  layers: LayerRef[];
};

export const ContentSection = ({ buildId, analysis, tree, treeError, layers }: ContentSectionProps) => {
  if (!analysis)
    return (
      <Card title="Contents">
        <div data-testid="content-section" data-status="NONE">
          <EmptyState title="No content analysis for this build">Only successful builds are analysed, after they finish.</EmptyState>
        </div>
      </Card>
    );
  if (analysis.status === "QUEUED" || analysis.status === "RUNNING")
    return (
      <Card title="Contents">
        <div data-testid="content-section" data-status={analysis.status}>
          <ContentProgress buildId={buildId} initial={{ status: analysis.status, progress: analysis.progress }} />
        </div>
      </Card>
    );
  if (analysis.status === "FAILED" || !analysis.result)
    return (
      <Card title="Contents">
        <div data-testid="content-section" data-status="FAILED">
          <ErrorState title="The content analysis failed" message={`analysis failed: ${analysis.error?.message ?? "no result was recorded"}`} />
          <p className="mt-2 text-xs text-slate-500">The build&apos;s own result is unaffected.</p>
        </div>
      </Card>
    );
  const { result } = analysis;
  const reused = result.layers.filter((l) => l.reused).length;
  return (
    <div className="space-y-6" data-testid="content-section" data-status="SUCCEEDED">
      <Card title="Contents">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-300" data-testid="content-summary">
          {result.files.toLocaleString("en")} files (<Bytes value={result.fileBytes} />), {result.dirs.toLocaleString("en")} directories,{" "}
          {result.symlinks.toLocaleString("en")} symlinks in {result.layers.length} layers
          {reused ? ` (${reused} already indexed by another build)` : ""}
          {analysis.durationMs !== null ? ` · analysed in ${(analysis.durationMs / 1000).toFixed(1)} s` : ""}
        </p>
        {tree ? <ContentTreemap buildId={buildId} initial={tree} /> : <ErrorState title="The directory tree could not be read" message={treeError ?? "unknown error"} />}
      </Card>
      <Card title="Files">
        <FileBrowser buildId={buildId} layers={layers} />
      </Card>
      <Card title="Packages">
        <PackagesTable packages={result.packages} unowned={result.unowned} layers={layers} />
      </Card>
      <Card title="Waste">
        <WasteList waste={result.waste} layers={layers} />
      </Card>
    </div>
  );
};
