/**
 * Matrix products that the probes, alignment and PCA need, on row-major typed arrays with
 * float64 accumulation. Written as plain loops over contiguous rows (no per-element calls), which
 * in V8 is several times faster than a general matrix library for these shapes.
 */

/** A row-major dense matrix of float32 or float64 values. */
export interface Dense {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/**
 * (X - mean)^T (X - mean): the cols x cols scatter matrix (mean omitted: X^T X). Rows are taken
 * four at a time so each accumulator is loaded and stored once per four products: the loop is
 * bound by memory traffic on the d x d sums, not by arithmetic. Only the upper triangle is
 * computed, then mirrored.
 */
export function columnGram(x: Dense, mean?: Float64Array): Float64Array {
  const d = x.cols;
  const sums = new Float64Array(d * d);
  const block = 4;
  const centred = new Float64Array(block * d);
  for (let start = 0; start < x.rows; start += block) {
    // A last, partial block is padded with zero rows, which add nothing.
    centred.fill(0);
    for (let r = 0; r < block && start + r < x.rows; r++) {
      for (let j = 0; j < d; j++) centred[r * d + j] = x.data[(start + r) * d + j] - (mean ? mean[j] : 0);
    }
    for (let j = 0; j < d; j++) {
      const a0 = centred[j], a1 = centred[d + j], a2 = centred[2 * d + j], a3 = centred[3 * d + j];
      const rowStart = j * d;
      for (let l = j; l < d; l++) {
        sums[rowStart + l] += a0 * centred[l] + a1 * centred[d + l] + a2 * centred[2 * d + l] + a3 * centred[3 * d + l];
      }
    }
  }
  for (let j = 0; j < d; j++) for (let l = 0; l < j; l++) sums[j * d + l] = sums[l * d + j];
  return sums;
}

/** X X^T: the rows x rows matrix of row dot products. */
export function rowGram(x: Dense): Float64Array {
  const n = x.rows;
  const d = x.cols;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += x.data[i * d + j] * x.data[k * d + j];
      out[i * n + k] = sum;
      out[k * n + i] = sum;
    }
  }
  return out;
}

/** A^T B for A (n x p) and B (n x q): a p x q result, accumulated row by row of A and B. */
export function transposeProduct(a: Dense, b: Dense): Float64Array {
  if (a.rows !== b.rows) throw new Error(`transposeProduct: ${a.rows} rows vs ${b.rows} rows`);
  const p = a.cols;
  const q = b.cols;
  const out = new Float64Array(p * q);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < p; j++) {
      const aij = a.data[i * p + j];
      if (aij === 0) continue;
      const outStart = j * q;
      const bStart = i * q;
      for (let l = 0; l < q; l++) out[outStart + l] += aij * b.data[bStart + l];
    }
  }
  return out;
}
