// The compressed size of an image when no registry says it (issue 17): after its contents are
// stored, the image is streamed once more and each layer not measured before (by diff_id) is
// gzipped at `docker push`'s level and counted. A pass of its own because gzip is several times
// slower than the index: the contents never wait for it. Never throws; a failure leaves the
// estimate unknown ("—" on the page) and is logged.
import "server-only";
import type Docker from "dockerode";
import type { ClaimedContentAnalysis } from "@/lib/data/content";
import { findExportNames, findLayerGzipBytes, saveLayerGzipBytes } from "@/lib/data/layer-gzip";
import { saveCompressedLayers } from "@/lib/data/registry";
import { exportImage, inspectImageForContent } from "@/lib/docker/export-image";
import { readImageExport } from "@/lib/content/image-export";
import { notifyBuildFinished } from "@/lib/notifications/notify-build";

export type CompressedEstimateOptions = {
  docker: Docker;
  signal?: AbortSignal;
  openExport?: (docker: Docker, imageId: string) => Promise<AsyncIterable<Buffer>>;
};

const GZIP_LAYER_MEDIA_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip";

const measureMissing = async (imageId: string, diffIds: string[], known: Map<string, number>, options: CompressedEstimateOptions) => {
  const names = await findExportNames(diffIds);
  const source = await (options.openExport ?? exportImage)(options.docker, imageId);
  const destroy = (error?: Error) => (source as unknown as { destroy?: (error?: Error) => void }).destroy?.(error);
  const abort = () => destroy(new Error("aborted"));
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    await readImageExport(source, {
      parse: false,
      diffIds,
      knownDiffId: (entryName, predicted) => predicted ?? names.get(entryName) ?? null,
      measureGzip: (_entryName, diffId) => !diffId || !known.has(diffId),
      onLayer: async (layer) => {
        if (layer.gzipBytes === null) return;
        known.set(layer.diffId, layer.gzipBytes);
        await saveLayerGzipBytes(layer.diffId, layer.gzipBytes);
      },
    });
  } finally {
    options.signal?.removeEventListener("abort", abort);
    destroy();
  }
};

/** Records the build image's estimated compressed layers (a pushed manifest's sizes are kept). */
export const estimateCompressedSizes = async (analysis: ClaimedContentAnalysis, options: CompressedEstimateOptions): Promise<boolean> => {
  try {
    const { diffIds } = await inspectImageForContent(options.docker, analysis.imageId);
    const known = await findLayerGzipBytes(diffIds);
    if (!diffIds.every((diffId) => known.has(diffId))) await measureMissing(analysis.imageId, diffIds, known, options);
    if (!diffIds.every((diffId) => known.has(diffId))) throw new Error("the export did not carry every layer");
    const first = await saveCompressedLayers(
      analysis.buildId,
      analysis.image,
      diffIds.map((diffId) => ({ diffId, size: known.get(diffId)!, digest: null, mediaType: GZIP_LAYER_MEDIA_TYPE })),
      "ESTIMATED",
    );
    // A budget on the compressed size is judged now (issue 17): it could not be at the build's end.
    if (first) notifyBuildFinished(analysis.buildId, "compressed");
    return true;
  } catch (error) {
    if (!options.signal?.aborted)
      console.warn(`[content] compressed-size estimate of build ${analysis.buildId} (${analysis.image}) failed: ${(error as Error).message}`);
    return false;
  }
};
