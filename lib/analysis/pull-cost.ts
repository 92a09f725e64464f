// What a `docker pull` of a build downloads (issue 17): compressed layers, each blob once, minus
// what the node has already (the base image, another variant, the previous build). Pure; a layer
// is identified by its compressed digest when the registry told it, else by its diff_id (the same
// engine pushes the same diff_id as the same blob).

export type PullLayer = {
  /** Compressed digest (registry) or diff_id: equal keys are one download. */
  key: string;
  compressedSize: number;
  isFromBase: boolean;
};

export type PullCost = {
  /** Every distinct layer of the image, compressed: a pull on an empty node. */
  compressedTotal: number;
  /** A pull on a node that has the base image already. */
  withBaseBytes: number;
  /** Bytes of layers the previous build of the same variant has too (a node that ran it downloads only the rest). */
  sharedWithPreviousBytes: number | null;
  /** Bytes of layers some other variant's latest build has too. */
  sharedWithOtherVariantsBytes: number;
  /** Seconds at the configured bandwidth, on an empty node and on one with the base image. */
  pullSeconds: number;
  withBasePullSeconds: number;
  bandwidthBytesPerSecond: number;
};

const distinct = (layers: PullLayer[]) => {
  const byKey = new Map<string, PullLayer>();
  for (const layer of layers) if (!byKey.has(layer.key)) byKey.set(layer.key, layer);
  return [...byKey.values()];
};

const sum = (layers: PullLayer[]) => layers.reduce((total, layer) => total + layer.compressedSize, 0);

export const computePullCost = (
  layers: PullLayer[],
  options: { bandwidthBytesPerSecond: number; previous?: PullLayer[] | null; otherVariants?: PullLayer[][] },
): PullCost => {
  const own = distinct(layers);
  const baseKeys = new Set(own.filter((layer) => layer.isFromBase).map((layer) => layer.key));
  const compressedTotal = sum(own);
  const withBaseBytes = sum(own.filter((layer) => !baseKeys.has(layer.key)));
  const previousKeys = options.previous ? new Set(options.previous.map((layer) => layer.key)) : null;
  const otherKeys = new Set((options.otherVariants ?? []).flat().map((layer) => layer.key));
  const bandwidth = Math.max(1, options.bandwidthBytesPerSecond);
  return {
    compressedTotal,
    withBaseBytes,
    sharedWithPreviousBytes: previousKeys ? sum(own.filter((layer) => previousKeys.has(layer.key))) : null,
    sharedWithOtherVariantsBytes: sum(own.filter((layer) => otherKeys.has(layer.key))),
    pullSeconds: compressedTotal / bandwidth,
    withBasePullSeconds: withBaseBytes / bandwidth,
    bandwidthBytesPerSecond: bandwidth,
  };
};

export type ComparisonPullCost = {
  /** Each variant pulled on its own empty node, added up. */
  separateBytes: number;
  /** All variants pulled onto one node, each shared layer once. */
  togetherBytes: number;
  /** The same with the base image already on the node. */
  separateWithBaseBytes: number;
  togetherWithBaseBytes: number;
  /** What each variant adds when they are pulled one after another onto a node that has the base image. */
  sequentialWithBaseBytes: number[];
};

export const computeComparisonPullCost = (variants: PullLayer[][]): ComparisonPullCost => {
  const all = variants.map(distinct);
  const baseKeys = new Set(all.flat().filter((layer) => layer.isFromBase).map((layer) => layer.key));
  const notBase = (layer: PullLayer) => !baseKeys.has(layer.key);
  const seen = new Set<string>();
  const sequentialWithBaseBytes = all.map((layers) => {
    const added = layers.filter((layer) => notBase(layer) && !seen.has(layer.key));
    for (const layer of layers) seen.add(layer.key);
    return sum(added);
  });
  return {
    separateBytes: all.reduce((total, layers) => total + sum(layers), 0),
    togetherBytes: sum(distinct(all.flat())),
    separateWithBaseBytes: all.reduce((total, layers) => total + sum(layers.filter(notBase)), 0),
    togetherWithBaseBytes: sum(distinct(all.flat()).filter(notBase)),
    sequentialWithBaseBytes,
  };
};
