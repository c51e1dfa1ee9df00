/**
 * Functions on the row-major float32 matrices of `../vectors.ts` (one row per item, one column
 * per hidden dimension), which take and return views where they can.
 *
 * @example
 * const m = matrix(new Float32Array([3, 4, 0, 0]), 2, 2);
 * row(m, 0);            // Float32Array [3, 4] (a view, not a copy)
 * normalizeRows(m).data // Float32Array [0.6, 0.8, 0, 0] (zero rows stay zero)
 */
import type {Matrix} from "../vectors.js";

export type {Matrix};

/** Wraps `data` (row-major, `rows * cols` values) as a Matrix; throws if the length does not match. */
export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new Error(`matrix: rows and cols must be non-negative integers, got ${rows} x ${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new Error(`matrix: data has ${data.length} values, expected ${rows} x ${cols} = ${rows * cols}`);
  }
  return {data, rows, cols};
}

/** Copies equal-length rows into a Matrix; `cols` is needed only when there are no rows. */
export function fromRows(rows: readonly ArrayLike<number>[], cols = rows[0]?.length ?? 0): Matrix {
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new Error(`fromRows: row ${i} has ${r.length} values, expected ${cols}`);
    data.set(r, i * cols);
  });
  return {data, rows: rows.length, cols};
}

/** Row `i` as a view into the matrix's buffer (writes go through). */
export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** The row indices 0..n-1, for functions that take a row selection. */
export function indices(n: number): Int32Array {
  return Int32Array.from({length: n}, (_, i) => i);
}

/** A new matrix made of the rows at `indices`, in that order. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float32Array(indices.length * m.cols);
  for (let k = 0; k < indices.length; k++) out.set(row(m, indices[k]), k * m.cols);
  return {data: out, rows: indices.length, cols: m.cols};
}

/**
 * Copies row k of `from` to row indices[k] of `into`: the inverse of selectRows. Rows bound for
 * consecutive places go in one copy (extraction places whole batches so).
 */
export function placeRows(into: Matrix, indices: ArrayLike<number>, from: Matrix): void {
  if (from.rows !== indices.length || from.cols !== into.cols) throw new Error(`placeRows: ${from.rows} × ${from.cols} rows for ${indices.length} indices of a matrix with ${into.cols} columns`);
  for (let start = 0, end = 1; start < indices.length; start = end++) {
    while (end < indices.length && indices[end] === indices[end - 1] + 1) end++;
    into.data.set(from.data.subarray(start * from.cols, end * from.cols), indices[start] * into.cols);
  }
}

/**
 * A copy with every row scaled to unit L2 norm, so that dot products are cosines.
 * Zero rows stay zero: their cosine with anything is then 0, as in scikit-learn's
 * `cosine_similarity`. Norms accumulate in float64.
 */
export function normalizeRows(m: Matrix): Matrix {
  const out = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    const start = i * m.cols;
    let sum = 0;
    for (let j = 0; j < m.cols; j++) sum += m.data[start + j] * m.data[start + j];
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let j = 0; j < m.cols; j++) out[start + j] = m.data[start + j] * scale;
  }
  return {data: out, rows: m.rows, cols: m.cols};
}

/** Dot product of row `i` of `a` and row `j` of `b`, accumulated in float64. */
export function dotRows(a: Matrix, i: number, b: Matrix, j: number): number {
  const ai = i * a.cols;
  const bj = j * b.cols;
  let sum = 0;
  for (let k = 0; k < a.cols; k++) sum += a.data[ai + k] * b.data[bj + k];
  return sum;
}
