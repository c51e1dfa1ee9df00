/**
 * What the explorer page needs to read a typed sentence in the browser and place it in every
 * layer's picture: how the store tokenised and pooled, the PCA axes and Procrustes map that made
 * each layer's PCA picture (so a new vector lands exactly where the PCA puts a stored one), and
 * the stored vectors (its neighbours, and its UMAP placement). The model itself ships as the
 * surgered pooled graph the extraction ran, when it is small enough for a page.
 */
import type {Matrix} from "../vectors.js";
import {fitPca, transformPca} from "../analyses/pca.js";
import {applyProcrustes, procrustesMap, type ProcrustesMap} from "../analyses/project.js";
import type {GraphFeeds} from "../models/surgery.js";
import type {Pooling} from "../types.js";

/** A model's pooled graph above this many bytes is not shipped: the page says why its text box is off. */
export const BROWSER_MODEL_LIMIT = 50 * 1024 * 1024;

/** How one layer's PCA picture is made from a vector v: p = (v - mean) C^T, then (but for the first layer) to + (p - from) R. */
export interface PcaPlacement {
  layer: number;
  mean: number[];
  /** 2 x hidden, row-major: the layer's first two principal axes. */
  components: number[];
  procrustes: {from: number[]; to: number[]; rotation: number[]} | null;
}

export interface SentenceProbeMeta {
  /** False: the page shows the text box disabled with `reason`. */
  available: boolean;
  reason?: string;
  model: string;
  pooling?: Pooling;
  maxLength?: number;
  /** Hidden states in the graph's outputs (layers 0..numLayers). */
  hiddenStates?: number;
  hidden?: number;
  items?: number;
  /** The layers of the pictures, in the order of `sentence-vectors.bin` (items x hidden float32 each). */
  layers?: number[];
  /** What the graph takes besides token ids, mask and pooling weights (see session.ts). */
  feeds?: GraphFeeds;
  pca?: PcaPlacement[];
  /** The model's tokenizer.json and tokenizer_config.json, for @huggingface/tokenizers in the page. */
  tokenizer?: {json: unknown; config: unknown};
}

/**
 * The PCA placement of every layer, in the order `layers` lists them: each layer's PCA fitted
 * again (it is deterministic) and rotated onto the previous layer's picture as `projectSteps`
 * does, so the maps are the ones that made the stored picture.
 */
export async function pcaPlacements(layers: readonly number[], read: (layer: number) => Promise<Matrix>): Promise<PcaPlacement[]> {
  const out: PcaPlacement[] = [];
  let previous: Matrix | null = null;
  for (const layer of layers) {
    const x = await read(layer);
    const model = fitPca(x, 2);
    const raw = transformPca(model, x);
    const map: ProcrustesMap | null = previous ? procrustesMap(raw, previous) : null;
    previous = map ? applyProcrustes(map, raw) : raw;
    out.push({
      layer,
      mean: Array.from(model.mean),
      components: Array.from(model.components.data),
      procrustes: map && {from: Array.from(map.from), to: Array.from(map.to), rotation: Array.from(map.rotation)}
    });
  }
  return out;
}

/** The stored vectors of the pictured layers, one after another (layers x items x hidden float32), as the page reads them. */
export function layerVectors(matrices: readonly Matrix[]): Uint8Array {
  const total = matrices.reduce((sum, m) => sum + m.data.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const m of matrices) {
    out.set(m.data, offset);
    offset += m.data.length;
  }
  return new Uint8Array(out.buffer);
}
