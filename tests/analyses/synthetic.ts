import {mulberry32} from "../../loaders/random.js";
import {matrix, type Matrix} from "../../loaders/analyses/matrix.js";
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

/**
 * Units in groups of `size` (an entity and its questions): each group's units share a random
 * label and a random position, repeated in every language with a little noise. The label is
 * decodable only by recognising the group: a probe can do it only if a group straddles a split.
 */
export function memorable(langs: string[], groups: number, size: number, dims: number, seed: number): LabelledVectors & {group: string[]} {
  const gaussian = normals(seed);
  const centre = Array.from({length: groups}, () => Array.from({length: dims}, () => 3 * gaussian()));
  const groupLabel = Array.from({length: groups}, () => Number(gaussian() > 0));
  const unit: string[] = [], lang: string[] = [], group: string[] = [], label: number[] = [], data: number[] = [];
  for (const l of langs) {
    for (let g = 0; g < groups; g++) {
      for (let k = 0; k < size; k++) {
        unit.push(`e${g}-q${k}`);
        lang.push(l);
        group.push(`e${g}`);
        label.push(groupLabel[g]);
        for (let j = 0; j < dims; j++) data.push(centre[g][j] + 0.3 * gaussian());
      }
    }
  }
  return {layers: [matrix(Float32Array.from(data), unit.length, dims)], unit, lang, group, label: Uint8Array.from(label)};
}
