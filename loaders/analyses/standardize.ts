import type {Matrix} from "./matrix.js";

/** Per-column mean and scale fitted on training rows, applied unchanged to any other rows. */
export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

/**
 * Fits column means and population standard deviations (ddof 0), as scikit-learn's
 * `StandardScaler` does; a constant column gets scale 1 so it maps to 0 instead of NaN.
 *
 * @example
 * fitStandardizer(matrix(new Float32Array([1, 5, 3, 5]), 2, 2)) // {mean: [2, 5], scale: [1, 1]}
 */
export function fitStandardizer(x: Matrix): Standardizer {
  if (x.rows === 0) throw new Error("fitStandardizer: no rows to fit on");
  const mean = columnMeans(x);
  const sumSquares = new Float64Array(x.cols);
  // Two passes (mean, then squared deviations) avoid the cancellation of E[x^2] - E[x]^2.
  for (let i = 0; i < x.rows; i++) {
    const start = i * x.cols;
    for (let j = 0; j < x.cols; j++) {
      const deviation = x.data[start + j] - mean[j];
      sumSquares[j] += deviation * deviation;
    }
  }
  const scale = sumSquares.map((s) => {
    const std = Math.sqrt(s / x.rows);
    return std > 0 ? std : 1;
  });
  return {mean, scale};
}

/** The mean row, accumulated in float64. */
export function columnMeans(x: Matrix): Float64Array {
  const mean = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) {
    const start = i * x.cols;
    for (let j = 0; j < x.cols; j++) mean[j] += x.data[start + j];
  }
  for (let j = 0; j < x.cols; j++) mean[j] /= x.rows;
  return mean;
}

/** `(x - mean) / scale` column by column, as a new matrix. */
export function standardize(x: Matrix, s: Standardizer): Matrix {
  if (x.cols !== s.mean.length) {
    throw new Error(`standardize: matrix has ${x.cols} columns, the standardizer was fitted on ${s.mean.length}`);
  }
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.rows; i++) {
    const start = i * x.cols;
    for (let j = 0; j < x.cols; j++) out[start + j] = (x.data[start + j] - s.mean[j]) / s.scale[j];
  }
  return {data: out, rows: x.rows, cols: x.cols};
}
