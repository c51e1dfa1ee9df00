/**
 * Pearson's r of paired samples: covariance over the product of standard deviations, with
 * means subtracted first (two passes, float64) for accuracy. NaN when there are fewer than two
 * pairs, when either side is constant, or when a value is not finite.
 *
 * @example
 * pearson([1, 2, 3], [2, 4, 7]) // 0.9933992677987828
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y, "pearson");
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/**
 * Spearman's rho: Pearson's r of the ranks, where tied values share the average of the ranks
 * they span (as scipy.stats.spearmanr; d3.rank gives ties the first rank instead, which biases
 * rho). Same NaN rules as `pearson`.
 *
 * @example
 * spearman([1, 2, 2, 3], [1, 3, 2, 4]) // 0.9486832980505138
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y, "spearman");
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * 1-based ranks in ascending order, ties getting the mean of the ranks they span.
 * A non-finite value makes every rank NaN (so correlations of it are NaN, never silently wrong).
 *
 * @example
 * averageRanks([10, 20, 20, 5]) // Float64Array [2, 3.5, 3.5, 1]
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) return ranks.fill(NaN);
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => values[a] - values[b]);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // Positions start..end-1 hold one value: their 1-based ranks average to (start + end + 1) / 2.
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

function checkPaired(x: ArrayLike<number>, y: ArrayLike<number>, name: string): void {
  if (x.length !== y.length) throw new Error(`${name}: x has ${x.length} values but y has ${y.length}`);
}
