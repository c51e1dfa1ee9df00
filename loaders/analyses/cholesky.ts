/**
 * Cholesky factorisation of a symmetric positive definite n x n matrix (row-major): the lower
 * triangular L with L L^T = a. Returns null when a pivot falls to rounding level (below
 * 16 n eps times the largest diagonal entry): the matrix is then singular in float64 even if
 * rounding happened to keep every pivot positive, and callers fall back to a pseudo-inverse.
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, a[i * n + i]);
  const floor = largest * n * Number.EPSILON * 16;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = a[j * n + j];
    for (let k = 0; k < j; k++) pivot -= l[j * n + k] * l[j * n + k];
    if (!(pivot > floor)) return null;
    const ljj = Math.sqrt(pivot);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = sum / ljj;
    }
  }
  return l;
}

/** Solves L L^T X = B in place for the n x m right-hand sides B (row-major). */
export function solveCholesky(l: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  // Forward substitution L Y = B, row by row so the inner loop runs over contiguous columns.
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const lik = l[i * n + k];
      for (let c = 0; c < m; c++) b[i * m + c] -= lik * b[k * m + c];
    }
    const inverse = 1 / l[i * n + i];
    for (let c = 0; c < m; c++) b[i * m + c] *= inverse;
  }
  // Back substitution L^T X = Y.
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const lki = l[k * n + i];
      for (let c = 0; c < m; c++) b[i * m + c] -= lki * b[k * m + c];
    }
    const inverse = 1 / l[i * n + i];
    for (let c = 0; c < m; c++) b[i * m + c] *= inverse;
  }
  return b;
}
