import type {Matrix} from "./matrix.js";

/**
 * Per-group mean-centering: subtract from every row the mean vector of its group (in the
 * analyses, a group is a language and the mean is over all that language's items in the
 * layer). Anisotropy makes raw cosines of a model's hidden states high for every pair;
 * removing each language's mean removes the shared direction and the language identity,
 * so that what is left compares meanings.
 *
 * A group with a single item becomes the zero vector (its cosines are then 0).
 *
 * @example
 * const m = matrix(new Float32Array([1, 2, 3, 4, 10, 10]), 3, 2);
 * center(m, ["a", "a", "b"]).data // Float32Array [-1, -1, 1, 1, 0, 0]
 */
export function center(m: Matrix, groups: readonly string[]): Matrix {
  const means = groupMeans(m, groups);
  const out = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    const mean = means.get(groups[i])!;
    const start = i * m.cols;
    for (let j = 0; j < m.cols; j++) out[start + j] = m.data[start + j] - mean[j];
  }
  return {data: out, rows: m.rows, cols: m.cols};
}

/** The mean row of each group, accumulated in float64; `groups[i]` is row i's group. */
export function groupMeans(m: Matrix, groups: readonly string[]): Map<string, Float64Array> {
  if (groups.length !== m.rows) {
    throw new Error(`groupMeans: ${groups.length} group labels for ${m.rows} rows`);
  }
  const sums = new Map<string, Float64Array>();
  const counts = new Map<string, number>();
  for (let i = 0; i < m.rows; i++) {
    let sum = sums.get(groups[i]);
    if (!sum) sums.set(groups[i], (sum = new Float64Array(m.cols)));
    counts.set(groups[i], (counts.get(groups[i]) ?? 0) + 1);
    const start = i * m.cols;
    for (let j = 0; j < m.cols; j++) sum[j] += m.data[start + j];
  }
  for (const [group, sum] of sums) {
    const n = counts.get(group)!;
    for (let j = 0; j < sum.length; j++) sum[j] /= n;
  }
  return sums;
}
