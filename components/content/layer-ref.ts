// A content layer index (0 = lowest non-empty layer) shown as the build's history position
// ("layer 4", as the layer table and the advice number it) with its instruction.
export type LayerRef = { position: number; instruction: string };

export const layerNumber = (layers: LayerRef[], index: number) => layers[index]?.position ?? index;

export const layerInstruction = (layers: LayerRef[], index: number) => layers[index]?.instruction ?? "";
