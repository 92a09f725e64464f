// The exact layer mapping of an image whose history left it ambiguous, read from the image export
// after the build's result is recorded (issue 16: no image export on the critical path).
import "server-only";
import type Docker from "dockerode";
import { updateLayerMapping } from "@/lib/data/layers";
import { analyseImage } from "@/lib/docker/analyse-image";
import type { LayerImage } from "@/lib/layer-images";
import { buildLogger } from "@/lib/log";

export type ProvisionalMapping = { image: LayerImage; imageId: string };

/**
 * Reads each image's config from the export (analyseImage with the export allowed) and rewrites
 * the recorded empty flags and digests. Never throws: a failure leaves the provisional mapping
 * (sizes exact, digests absent) and is logged.
 */
export const refineLayerMappings = async (buildId: string, pending: ProvisionalMapping[], docker: Docker): Promise<void> => {
  for (const { image, imageId } of pending) {
    try {
      const exact = await analyseImage(imageId, { docker, exportWhenAmbiguous: true });
      await updateLayerMapping(
        buildId,
        image,
        exact.layers.map((layer) => ({ position: layer.position, isEmpty: layer.isEmpty, layerDigest: layer.layerDigest })),
      );
    } catch (error) {
      buildLogger(buildId).warn(`[layerboard] the exact layer mapping of ${imageId} could not be read: ${(error as Error).message}`);
    }
  }
};
