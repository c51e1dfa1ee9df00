// Small statistics the pages' sentences need (components cannot import loaders/: Framework serves src/ only).

/**
 * Mean of the finite values; NaN when there are none.
 * @param {readonly (number | null | undefined)[]} values
 */
export function finiteMean(values) {
  const finite = /** @type {number[]} */ (values.filter((v) => typeof v === "number" && Number.isFinite(v)));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}

/** The 0.975 quantile of the standard normal: a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson score interval (95%) of a proportion, k successes in n trials (Newcombe 1998, method 3):
 * unlike the normal approximation it stays inside [0, 1] and is not empty at k = 0.
 * @param {number} k
 * @param {number} n
 * @returns {{low: number, high: number}}
 */
export function wilsonInterval(k, n) {
  if (!(n > 0) || k < 0 || k > n) throw new Error(`wilsonInterval: ${k} successes in ${n} trials`);
  const p = k / n;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return {low: Math.max(0, centre - half), high: Math.min(1, centre + half)};
}

/**
 * The index of the largest finite value (the first on ties); -1 when there is none.
 * @param {readonly number[]} values
 */
export function argmax(values) {
  let best = -1;
  values.forEach((v, k) => {
    if (Number.isFinite(v) && (best < 0 || v > values[best])) best = k;
  });
  return best;
}
