// The fertility page's opening sentences: what the same text costs in tokens, in words.
import {fixed, plural} from "./format.js";

/**
 * @typedef {{lang: string, relative: number}} FertilityLanguage
 * @typedef {{tokenizer: string, languages: FertilityLanguage[]}} Tokenizer
 */

/** Above this many times English's tokens, a language pays a "tokenization premium" worth naming. */
const COSTLY = 2;

/** @param {number[]} values sorted ascending */
const median = (values) => (values.length % 2 ? values[(values.length - 1) / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2);

/**
 * The median over the languages other than the baseline (whose ratio is 1 by definition).
 * @param {Tokenizer} t
 * @param {string} baseline
 */
function medianRelative(t, baseline) {
  return median(t.languages.filter((d) => d.lang !== baseline && Number.isFinite(d.relative)).map((d) => d.relative).sort((a, b) => a - b));
}

/**
 * 2-4 sentences: the model's own tokenizer (the first), then how the other tokenizers compare.
 * @param {Tokenizer[]} tokenizers
 * @param {{baseline: string, nameOf: (lang: string) => string}} options
 */
export function fertilityFindings(tokenizers, {baseline, nameOf}) {
  const own = tokenizers[0];
  const others = own?.languages.filter((d) => d.lang !== baseline && Number.isFinite(d.relative)).sort((a, b) => b.relative - a.relative) ?? [];
  if (!own || !others.length) return [`No language besides ${nameOf(baseline)} shares paragraphs with it, so there is nothing to compare.`];
  const times = (/** @type {FertilityLanguage} */ d) => `${nameOf(d.lang)}: ${fixed(d.relative)}×`;
  const costly = others.filter((d) => d.relative > COSTLY).length;
  const sentences = [
    `The model's tokenizer spends the most tokens, relative to ${nameOf(baseline)}, on ${others.slice(0, 2).map(times).join(" and ")}` +
      (others.length > 2 ? `, and the fewest on ${others.slice(-1).map(times).join("")}.` : "."),
    `Over ${plural(others.length, "language")}, the median is ${fixed(medianRelative(own, baseline))} times as many tokens as ${nameOf(baseline)}; ` +
      (costly ? `${costly} of them cost more than ${COSTLY} times as many.` : `none costs more than ${COSTLY} times as many.`)
  ];
  if (tokenizers.length > 1) {
    const medians = tokenizers.map((t) => ({tokenizer: t.tokenizer, median: medianRelative(t, baseline)})).filter((m) => Number.isFinite(m.median)).sort((a, b) => a.median - b.median);
    const named = (/** @type {{tokenizer: string, median: number}} */ m) => `${m.tokenizer === own.tokenizer ? "the model's own" : m.tokenizer} (${fixed(m.median)}×)`;
    sentences.push(`Median cost across the ${plural(medians.length, "tokenizer")}: lowest ${named(medians[0])}, highest ${named(medians[medians.length - 1])}.`);
  }
  return sentences;
}
