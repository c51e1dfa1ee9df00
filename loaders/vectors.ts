/**
 * Hidden states as every layer of Babelscope sees them: extraction writes them, the store keeps
 * them, the analyses read them. Shared contracts, like `types.ts`; the functions on them live in
 * `analyses/matrix.ts`.
 */

/**
 * A dense row-major float32 matrix: one row per item (text), one column per hidden dimension.
 * The analyses take and return this shape so that a layer read from the store (one float32
 * vector per item) is used without copying.
 */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Hidden states of one dataset: `layers[l]` holds one row per item for layer l (0 = embedding
 * output), and `unit[i]` / `lang[i]` describe row i in every layer. Items with the same unit
 * are translations of each other; a (unit, lang) pair may occur once.
 */
export interface LayeredVectors {
  layers: readonly Matrix[];
  unit: readonly string[];
  lang: readonly string[];
}

/** Hidden states with a binary label per row: 1 = the positive class (e.g. known), 0 = negative. */
export interface LabelledVectors extends LayeredVectors {
  label: ArrayLike<number>;
}

/**
 * What is known of a dataset's hidden states before any layer is read: each row's unit and
 * language, and how many layers there are. The analyses take this and read layers on demand.
 */
export interface VectorRows {
  layerCount: number;
  unit: readonly string[];
  lang: readonly string[];
}

export interface LabelledRows extends VectorRows {
  label: ArrayLike<number>;
}

/** Layers given one at a time on demand (a store's layer files, or matrices in memory), so no more than the layer in hand need be held. */
export interface LayerSource {
  readonly count: number;
  layer(index: number): Promise<Matrix>;
}
