import {randomInt, type Random} from "../random.js";

export interface BootstrapOptions {
  /** Number of resamples; default 1000. */
  resamples?: number;
  /** Confidence level of the interval, in (0, 1); default 0.95. */
  confidence?: number;
  /** Seeded source of randomness (e.g. `mulberry32(seed)`); the caller records the seed. */
  random: Random;
}

/** A mean and its confidence interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/**
 * Percentile bootstrap confidence interval of the mean: draw `values.length` values with
 * replacement `resamples` times (index = floor(random() * n)), take each draw's mean, and
 * report the (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of those means
 * (linear interpolation between order statistics, numpy's default). Empty input gives NaN.
 *
 * @example
 * bootstrap([0.2, 0.4, 0.9], {random: mulberry32(0)})
 * // {estimate: 0.5, low: ≈0.2, high: 0.9} (three values: all-0.2 draws are 1 in 27)
 */
export function bootstrap(values: ArrayLike<number>, options: BootstrapOptions): Interval {
  const {resamples = 1000, confidence = 0.95, random} = options;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new Error(`bootstrap: confidence must be in (0, 1), got ${confidence}`);
  }
  const n = values.length;
  if (n === 0) return {estimate: NaN, low: NaN, high: NaN};
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += values[randomInt(random, n)];
    means[b] = sum / n;
  }
  means.sort();
  return {
    estimate: mean(values),
    low: quantileSorted(means, (1 - confidence) / 2),
    high: quantileSorted(means, (1 + confidence) / 2)
  };
}

/** Quantile p of ascending `sorted` by linear interpolation (R-7, numpy's "linear"). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k];
  return sum / values.length;
}
