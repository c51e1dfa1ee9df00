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

/** X X^T: the rows x rows matrix of row dot products (four partial sums break the add chain). */
export function rowGram(x: Dense): Float64Array {
  const n = x.rows;
  const d = x.cols;
  const data = x.data;
  const tail = d - (d % 4);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = i * d;
    for (let k = i; k < n; k++) {
      const b = k * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < tail; j += 4) {
        s0 += data[a + j] * data[b + j];
        s1 += data[a + j + 1] * data[b + j + 1];
        s2 += data[a + j + 2] * data[b + j + 2];
        s3 += data[a + j + 3] * data[b + j + 3];
      }
      for (let j = tail; j < d; j++) s0 += data[a + j] * data[b + j];
      const sum = (s0 + s1) + (s2 + s3);
      out[i * n + k] = sum;
      out[k * n + i] = sum;
    }
  }
  return out;
}

/**
 * A^T B for A (n x p) and B (n x q): a p x q result, accumulated over the rows of A and B four
 * at a time, so each accumulator is loaded and stored once per four products.
 */
export function transposeProduct(a: Dense, b: Dense): Float64Array {
  if (a.rows !== b.rows) throw new Error(`transposeProduct: ${a.rows} rows vs ${b.rows} rows`);
  const p = a.cols;
  const q = b.cols;
  const out = new Float64Array(p * q);
  let i = 0;
  for (; i + 4 <= a.rows; i += 4) {
    const b0 = i * q, b1 = b0 + q, b2 = b1 + q, b3 = b2 + q;
    for (let j = 0; j < p; j++) {
      const a0 = a.data[i * p + j], a1 = a.data[(i + 1) * p + j], a2 = a.data[(i + 2) * p + j], a3 = a.data[(i + 3) * p + j];
      const outStart = j * q;
      for (let l = 0; l < q; l++) {
        out[outStart + l] += a0 * b.data[b0 + l] + a1 * b.data[b1 + l] + a2 * b.data[b2 + l] + a3 * b.data[b3 + l];
      }
    }
  }
  for (; i < a.rows; i++) {
    for (let j = 0; j < p; j++) {
      const aij = a.data[i * p + j];
      const outStart = j * q;
      for (let l = 0; l < q; l++) out[outStart + l] += aij * b.data[i * q + l];
    }
  }
  return out;
}
