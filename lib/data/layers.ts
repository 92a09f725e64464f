// An image's layers as the pipeline analysed them (MAIN_IMAGE: the image that ships;
// BUILD_IMAGE: a builder-pattern build image, lib/layer-images.ts). Read back through builds.ts with the build.
import "server-only";
import { db } from "@/lib/db";
import type { AdviceLayer } from "@/lib/analysis/advice";
import type { LayerImage } from "@/lib/layer-images";
import type { LayerDto } from "@/lib/types";

export type LayerInput = Omit<LayerDto, "image">;

/** Idempotent: a retried write skips the layers already stored. */
export const createLayers = async (buildId: string, image: LayerImage, layers: LayerInput[]): Promise<void> => {
  await db.layer.createMany({
    data: layers.map((layer) => ({
      buildId,
      image,
      position: layer.position,
      createdBy: layer.createdBy,
      instruction: layer.instruction,
      size: BigInt(layer.size),
      isEmpty: layer.isEmpty,
      isFromBase: layer.isFromBase,
      layerDigest: layer.layerDigest,
    })),
    skipDuplicates: true,
  });
};

/** The image's history as advice reads it (lib/analysis/advice.ts AdviceLayer), oldest first. */
export const findAdviceLayers = async (buildId: string, image: LayerImage): Promise<AdviceLayer[]> =>
  (
    await db.layer.findMany({
      where: { buildId, image },
      orderBy: { position: "asc" },
      select: { position: true, instruction: true, size: true, isEmpty: true, isFromBase: true },
    })
  ).map((layer) => ({ ...layer, size: Number(layer.size) }));

/**
 * Settles the empty flags and digests of layers recorded with a provisional mapping (the
 * pipeline does not wait for the image export, lib/builds/refine-layer-mapping.ts); sizes,
 * instructions and base flags stay as recorded.
 */
export const updateLayerMapping = async (
  buildId: string,
  image: LayerImage,
  layers: Array<Pick<LayerInput, "position" | "isEmpty" | "layerDigest">>,
): Promise<void> => {
  await db.$transaction(
    layers.map((layer) =>
      db.layer.updateMany({
        where: { buildId, image, position: layer.position },
        data: { isEmpty: layer.isEmpty, layerDigest: layer.layerDigest },
      }),
    ),
  );
};
