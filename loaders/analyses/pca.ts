import {EigenvalueDecomposition, Matrix as Dense} from "ml-matrix";
import {columnGram} from "./gram.js";
import type {Matrix} from "./matrix.js";
import {columnMeans} from "./standardize.js";

/** Principal axes fitted on some rows; `transformPca` applies them to any rows. */
export interface PcaModel {
  mean: Float64Array;
  /** One unit-length axis per row (k x cols), by decreasing explained variance. */
  components: Matrix;
  /** Variance along each axis (covariance eigenvalue, divisor n - 1 as scikit-learn). */
  explainedVariance: Float64Array;
  /** Share of the total variance along each axis. */
  explainedVarianceRatio: Float64Array;
}

/**
 * Principal component analysis by eigendecomposition of the covariance matrix (float64),
 * matching scikit-learn's `PCA(n_components=k)` up to the sign of each axis. The sign is fixed
 * deterministically: each axis's largest-|loading| coordinate is positive (ties: the first).
 *
 * The covariance costs O(n d^2) and the eigendecomposition O(d^3), so it suits hidden sizes
 * up to about a thousand; rows can be any number.
 *
 * @example
 * const m = matrix(new Float32Array([0, 0, 2, 0, 4, 0.1]), 3, 2);
 * fitPca(m, 1).components.data; // ~[1, 0.025]: the axis along the spread, largest loading positive
 */
export function fitPca(x: Matrix, k: number): PcaModel {
  if (!Number.isInteger(k) || k < 1 || k > x.cols) {
    throw new Error(`fitPca: components must be an integer from 1 to ${x.cols} (the number of columns), got ${k}`);
  }
  if (x.rows < 2) throw new Error(`fitPca: needs at least 2 rows, got ${x.rows}`);
  const mean = columnMeans(x);
  const covariance = covarianceMatrix(x, mean);
  const {realEigenvalues, eigenvectorMatrix} = new EigenvalueDecomposition(covariance, {assumeSymmetric: true});
  const order = realEigenvalues.map((_, i) => i).sort((a, b) => realEigenvalues[b] - realEigenvalues[a]);
  const total = realEigenvalues.reduce((sum, v) => sum + Math.max(v, 0), 0);
  const components = new Float32Array(k * x.cols);
  const explainedVariance = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const axis = eigenvectorMatrix.getColumn(order[c]);
    const sign = Math.sign(axis[indexOfLargestMagnitude(axis)]) || 1;
    for (let j = 0; j < x.cols; j++) components[c * x.cols + j] = sign * axis[j];
    explainedVariance[c] = Math.max(realEigenvalues[order[c]], 0);
  }
  return {
    mean,
    components: {data: components, rows: k, cols: x.cols},
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
  };
}

/** Coordinates of rows of `x` on the model's axes: (x - mean) C^T, one row per input row. */
export function transformPca(model: PcaModel, x: Matrix): Matrix {
  const {components, mean} = model;
  if (x.cols !== components.cols) {
    throw new Error(`transformPca: matrix has ${x.cols} columns, the model was fitted on ${components.cols}`);
  }
  const out = new Float32Array(x.rows * components.rows);
  const centred = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) centred[j] = x.data[i * x.cols + j] - mean[j];
    for (let c = 0; c < components.rows; c++) {
      let sum = 0;
      for (let j = 0; j < x.cols; j++) sum += centred[j] * components.data[c * x.cols + j];
      out[i * components.rows + c] = sum;
    }
  }
  return {data: out, rows: x.rows, cols: components.rows};
}

/** Fits on `x` and returns its own coordinates (k columns). */
export function pca(x: Matrix, k: number): Matrix {
  return transformPca(fitPca(x, k), x);
}

/** Sample covariance (divisor n - 1) of the columns, in float64. */
function covarianceMatrix(x: Matrix, mean: Float64Array): Dense {
  const scatter = columnGram(x, mean);
  return Dense.from1DArray(x.cols, x.cols, scatter.map((v) => v / (x.rows - 1)));
}

function indexOfLargestMagnitude(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i]) > Math.abs(values[best])) best = i;
  return best;
}
