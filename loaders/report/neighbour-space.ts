/**
 * A small space the explorer finds a clicked item's nearest neighbours in, in the browser: each
 * row's coordinates on the layer's top principal components (the layer's mean removed), scaled to
 * unit length and stored as int8 (value x 127). 32 bytes per item per layer instead of 4 x hidden
 * size; the dot product of two rows / 127^2 approximates the cosine of their centred vectors
 * (exactly, up to rounding, when every component is kept).
 */
import type {Matrix} from "../vectors.js";
import {pca} from "../analyses/pca.js";

const NEIGHBOUR_DIMENSIONS = 32;

export function neighbourSpace(x: Matrix, dimensions: number = NEIGHBOUR_DIMENSIONS): {data: Int8Array; dimensions: number} {
  const k = Math.min(dimensions, x.cols, x.rows - 1);
  const projected = pca(x, k);
  const data = new Int8Array(x.rows * k);
  for (let i = 0; i < x.rows; i++) {
    let norm = 0;
    for (let c = 0; c < k; c++) norm += projected.data[i * k + c] ** 2;
    const scale = norm > 0 ? 127 / Math.sqrt(norm) : 0;
    for (let c = 0; c < k; c++) data[i * k + c] = Math.round(projected.data[i * k + c] * scale);
  }
  return {data, dimensions: k};
}
