// How numbers read in the pages' sentences and on chart axes: counts with their noun, shares as percent.

/**
 * A count with its noun, singular for exactly one: "1 model", "2 models", "0 languages".
 * @param {number} count
 * @param {string} singular
 * @param {string} [plural] (default: singular + "s")
 */
export function plural(count, singular, plural = `${singular}s`) {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}

/**
 * A share in [0, 1] as percent: percent(0.4567) = "45.7%"; "n/a" when not a number.
 * @param {number} share
 * @param {number} [digits] decimals (default 1)
 */
export function percent(share, digits = 1) {
  return Number.isFinite(share) ? `${(100 * share).toFixed(digits)}%` : "n/a";
}

/**
 * A value to fixed decimals, "n/a" when not a number, and a true minus sign for negatives.
 * @param {number} value
 * @param {number} [digits] decimals (default 2)
 */
export function fixed(value, digits = 2) {
  if (!Number.isFinite(value)) return "n/a";
  const text = value.toFixed(digits);
  // -0.00 reads as a sign without a value: a number that rounds to zero has none.
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace(/^-/, "−");
}

/**
 * Tick labels of an axis whose values are already percents (a web share of 0.5 is half a percent):
 * "0.5%", "10%", never SI prefixes ("500m").
 * @param {number} value
 */
export function percentTick(value) {
  return `${Number(value.toPrecision(6)).toLocaleString("en-US", {maximumFractionDigits: 6})}%`;
}

/**
 * Correlations over fewer languages than this are not reported: with n < 10 a Spearman ρ must
 * exceed about 0.65 in absolute value to differ from zero at the 5% level (critical values of ρ,
 * Zar 1972), and its 95% interval spans most of [−1, 1], so a number would suggest a finding the
 * data cannot carry.
 */
export const MIN_CORRELATION_N = 10;

/**
 * A Spearman correlation in words: "ρ = 0.54 (n = 28)", or why there is none.
 * @param {{spearman: number | null | undefined, n: number}} correlation
 */
export function rhoText({spearman, n}) {
  if (n < MIN_CORRELATION_N) return `n = ${n}: too few languages for a correlation (fewer than ${MIN_CORRELATION_N})`;
  if (spearman === null || spearman === undefined || !Number.isFinite(spearman)) return `n = ${n}: no correlation (a constant ranking or proxy)`;
  return `ρ = ${fixed(spearman)} (n = ${n})`;
}
