import {bootstrap, FEW_UNITS, tInterval} from "./bootstrap.js";
import {pearson, spearman} from "./correlation.js";
import {baselineSettings, type BaselineOptions} from "./pairs.js";
import {layerMeans, pairCosineSteps, type PairCosines} from "./cosine.js";
import {onLayers, rowsOf} from "./layer-steps.js";
import {mulberry32, seedFor} from "../random.js";
import {RANK_PROTOCOLS, type LanguageRanking, type LayeredVectors, type ProxyCorrelation, type RankedLanguage, type RankProtocol} from "./types.js";
import type {Matrix, VectorRows} from "../vectors.js";

export interface RankOptions extends BaselineOptions {
  /**
   * "babelscope" (default): `aggregate` and `centering` as given. "paper": Language Ranker's
   * released procedure, which fixes them: per-layer cosine with the baseline averaged over
   * layers 1..L (the embedding output, layer 0, is dropped) and no centring. The paper's
   * vectors are the last token's hidden states: extract with `pooling: "last"` for it (the
   * ranking sees vectors only and cannot check the pooling).
   */
  protocol?: RankProtocol;
  /** Inclusive layer range the score averages over; default every layer ("paper": 1..L, and no other). */
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
 * other language's interval), or, for a language with fewer than FEW_UNITS units (flagged
 * `fewUnits`), the Student t interval over its units, as the bootstrap is too narrow there. Each proxy is correlated with the scores (Spearman with averaged
 * ranks, and Pearson) over the languages that have a finite proxy value; the rest are listed.
 * Missing data: see `pairWithBaseline` (no shared unit -> `skipped`; empty input -> empty result).
 *
 * @example
 * rankLanguages(items, {baseline: "eng", aggregate: {from: 4, to: 8}, proxies: {speakers}})
 * // {languages: [{lang: "fra", rank: 1, score: 0.81, low: 0.78, high: 0.84, ...}, ...], correlations: [...]}
 */
export function rankLanguages(items: LayeredVectors, options: RankOptions = {}): LanguageRanking {
  return onLayers(rankSteps(rowsOf(items), options), items.layers);
}

/** `rankLanguages`, one layer at a time: every layer is read (each language's mean cosine is reported per layer). */
export function* rankSteps(items: VectorRows, options: RankOptions = {}): Generator<number, LanguageRanking, Matrix> {
  const {protocol = "babelscope", seed = 0, resamples = 1000, confidence = 0.95, proxies = {}} = options;
  if (!RANK_PROTOCOLS.includes(protocol)) {
    throw new Error(`rankLanguages: unknown protocol "${protocol as string}" (choose one of ${RANK_PROTOCOLS.join(", ")})`);
  }
  const last = Math.max(0, items.layerCount - 1);
  if (protocol === "paper") checkPaperOptions(options, last);
  const base = baselineSettings(items, options);
  const aggregate = options.aggregate ?? {from: protocol === "paper" ? 1 : 0, to: last};
  const settings = {...base, protocol, aggregate, seed, resamples, confidence, fewUnits: FEW_UNITS};
  if (items.unit.length === 0) return {method: "language-ranker", settings, languages: [], skipped: [], correlations: []};
  checkAggregate(aggregate, items.layerCount);
  if (!Number.isInteger(seed)) throw new Error(`rankLanguages: seed must be an integer, got ${seed}`);
  const {languages, skipped} = yield* pairCosineSteps(items, base.baseline, base.centering);
  const scored = languages.map((table) => {
    const scores = unitScores(table, aggregate);
    // With few units the percentile bootstrap is too narrow (see FEW_UNITS): the t interval instead.
    const fewUnits = scores.length < FEW_UNITS;
    const {estimate, low, high} = fewUnits
      ? tInterval(scores, confidence)
      : bootstrap(scores, {resamples, confidence, random: mulberry32(seedFor(seed, table.lang))});
    return {
      lang: table.lang, units: table.units.length, score: estimate, low, high, fewUnits,
      interval: fewUnits ? "t" as const : "percentile-bootstrap" as const, meanCosine: layerMeans(table, items.layerCount)
    };
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

/** The Spearman and Pearson correlations of the ranking's scores with a resource proxy, over the languages the proxy knows. */
export function correlate(ranked: readonly RankedLanguage[], proxy: string, values: Record<string, number>): ProxyCorrelation {
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

/** The paper protocol fixes the layers (1..L) and the centring (none): other values are an error, not a silent override. */
function checkPaperOptions({aggregate, centering}: RankOptions, last: number): void {
  if (centering !== undefined && centering !== "none") {
    throw new Error(`rankLanguages: the paper protocol does not centre (centering "none"), got "${centering}"`);
  }
  if (aggregate && (aggregate.from !== 1 || aggregate.to !== last)) {
    throw new Error(`rankLanguages: the paper protocol averages layers 1..${last}, got ${aggregate.from}..${aggregate.to}`);
  }
}

function checkAggregate({from, to}: {from: number; to: number}, layerCount: number): void {
  if (layerCount === 0) throw new Error("rankLanguages: the items have no layers");
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to >= layerCount) {
    throw new Error(`aggregate layers ${from}..${to} are not a range within 0..${layerCount - 1}`);
  }
}
