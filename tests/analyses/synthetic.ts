import {mulberry32} from "../../loaders/random.js";
import type {Matrix} from "../../loaders/analyses/matrix.js";
import type {LabelledVectors} from "../../loaders/analyses/types.js";

/** Seeded standard normal numbers (Box-Muller on mulberry32). */
export function normals(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface SyntheticOptions {
  langs: string[];
  units: number;
  dims: number;
  /** Per language, an offset added to dimension 0 (along the label direction, the worst case for a probe). */
  shift?: Record<string, number>;
  /** How far apart the classes are along dimension 0, in standard deviations (0 = no signal). */
  separation: number[];
  seed: number;
}

/**
 * Parallel units in several languages; unit u has the same label in every language, and the
 * label moves dimension 0 by +-separation/2 (one entry of `separation` per layer).
 */
export function synthetic(options: SyntheticOptions): LabelledVectors {
  const {langs, units, dims, shift = {}, separation, seed} = options;
  const gaussian = normals(seed);
  const n = langs.length * units;
  const lang: string[] = [];
  const unit: string[] = [];
  const label = new Uint8Array(n);
  langs.forEach((l, li) => {
    for (let u = 0; u < units; u++) {
      lang.push(l);
      unit.push(`u${u}`);
      label[li * units + u] = u % 2;
    }
  });
  const layers: Matrix[] = separation.map((gap) => {
    const data = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < dims; j++) data[i * dims + j] = gaussian();
      data[i * dims] += (label[i] - 0.5) * gap + (shift[lang[i]] ?? 0);
    }
    return {data, rows: n, cols: dims};
  });
  return {layers, unit, lang, label};
}
