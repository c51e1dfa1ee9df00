import {bootstrap} from "./bootstrap.js";
import {pearson, spearman} from "./correlation.js";
import {baselineSettings, type BaselineOptions} from "./pairs.js";
import {layerMeans, pairCosineTable, type PairCosines} from "./cosine.js";
import {mulberry32, seedFor} from "../random.js";
import type {LanguageRanking, LayeredVectors, ProxyCorrelation, RankedLanguage} from "./types.js";

export interface RankOptions extends BaselineOptions {
  /** Inclusive layer range the score averages over; default every layer. */
  aggregate?: {from: number; to: number};
  /** Seed of the bootstrap; default 0. */
  seed?: number;
  /** Bootstrap resamples; default 1000. */
  resamples?: number;
  /** Confidence level of the interval; default 0.95. */
  confidence?: number;
  /** Resource proxies by name, each a map language -> value (e.g. `{speakers: {fra: 3e8}}`). */
  proxies?: Record<string, Record<string, number>>;
}

/**
 * Language ranking after Language Ranker (Li et al., AAAI 2025). For every language and
 * parallel unit, the cosine between the language's item and the baseline's item of that unit
 * is taken in each layer; a unit's score is the mean of its cosines over the `aggregate`
 * layers, and a language's score is the mean over its units. Languages are ranked by score
 * (1 = closest to the baseline). The confidence interval is a percentile bootstrap over units
 * (seeded per language from `seed` and the language code, so adding a language changes no
 * other language's interval). Each proxy is correlated with the scores (Spearman with averaged
 * ranks, and Pearson) over the languages that have a finite proxy value; the rest are listed.
 * Missing data: see `pairWithBaseline` (no shared unit -> `skipped`; empty input -> empty result).
 *
 * @example
 * rankLanguages(items, {baseline: "eng", aggregate: {from: 4, to: 8}, proxies: {speakers}})
 * // {languages: [{lang: "fra", rank: 1, score: 0.81, low: 0.78, high: 0.84, ...}, ...], correlations: [...]}
 */
export function rankLanguages(items: LayeredVectors, options: RankOptions = {}): LanguageRanking {
  const base = baselineSettings(items, options);
  const {seed = 0, resamples = 1000, confidence = 0.95, proxies = {}} = options;
  const aggregate = options.aggregate ?? {from: 0, to: Math.max(0, items.layers.length - 1)};
  const settings = {...base, aggregate, seed, resamples, confidence};
  if (items.unit.length === 0) return {method: "language-ranker", settings, languages: [], skipped: [], correlations: []};
  checkAggregate(aggregate, items.layers.length);
  if (!Number.isInteger(seed)) throw new Error(`rankLanguages: seed must be an integer, got ${seed}`);
  const {languages, skipped} = pairCosineTable(items, base.baseline, base.centering);
  const scored = languages.map((table) => {
    const {estimate, low, high} = bootstrap(unitScores(table, aggregate), {
      resamples,
      confidence,
      random: mulberry32(seedFor(seed, table.lang))
    });
    return {lang: table.lang, units: table.units.length, score: estimate, low, high, meanCosine: layerMeans(table, items.layers.length)};
  });
  scored.sort((a, b) => b.score - a.score || (a.lang < b.lang ? -1 : 1));
  const ranked: RankedLanguage[] = scored.map(({lang, ...rest}, i) => ({lang, rank: i + 1, ...rest}));
  const correlations = Object.keys(proxies)
    .sort()
    .map((name) => correlate(ranked, name, proxies[name]));
  return {method: "language-ranker", settings, languages: ranked, skipped, correlations};
}

/** Each unit's mean pair cosine over the aggregated layers. */
function unitScores(table: PairCosines, {from, to}: {from: number; to: number}): Float64Array {
  const n = table.units.length;
  const scores = new Float64Array(n);
  for (let l = from; l <= to; l++) for (let k = 0; k < n; k++) scores[k] += table.values[l * n + k];
  return scores.map((s) => s / (to - from + 1));
}

function correlate(ranked: RankedLanguage[], proxy: string, values: Record<string, number>): ProxyCorrelation {
  const present = ranked.filter((r) => Number.isFinite(values[r.lang]));
  const scores = present.map((r) => r.score);
  const proxyValues = present.map((r) => values[r.lang]);
  return {
    proxy,
    n: present.length,
    missing: ranked.filter((r) => !Number.isFinite(values[r.lang])).map((r) => r.lang),
    spearman: spearman(scores, proxyValues),
    pearson: pearson(scores, proxyValues)
  };
}

function checkAggregate({from, to}: {from: number; to: number}, layerCount: number): void {
  if (layerCount === 0) throw new Error("rankLanguages: the items have no layers");
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to >= layerCount) {
    throw new Error(`aggregate layers ${from}..${to} are not a range within 0..${layerCount - 1}`);
  }
}
