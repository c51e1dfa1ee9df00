/**
 * Language activation probability entropy (LAPE) and the language-specific neurons it selects, as
 * defined by Tang et al., "Language-Specific Neurons: The Key to Multilingual Capabilities in Large
 * Language Models" (ACL 2024), and done by their released `identify.py`:
 *
 * 1. p[n, k]: the fraction of language k's tokens on which neuron n's activation is > 0;
 * 2. p'[n, k] = p[n, k] / sum over k of p[n, k] (0 where the sum is 0), LAPE[n] = -sum p' log p';
 * 3. a neuron none of whose p exceeds the `filterRate` quantile of all p (the paper: 95th
 *    percentile) is ruled out (LAPE set to +infinity);
 * 4. the round(N * topRate) neurons of lowest LAPE are selected (the paper: 1%);
 * 5. a selected neuron is specific to every language k whose p[n, k] exceeds the `barRate`
 *    quantile of all p (the paper: 95th percentile), so it may belong to several languages or none.
 *
 * Quantiles are torch's `kthvalue` at k = round(count * rate) (Python's round, half to even).
 * Ties in LAPE are broken by neuron index (torch's `topk` leaves them unspecified). Neurons are
 * numbered layer-major: n = layer * intermediate + j. Everything is float64.
 */
import {mulberry32, seedFor} from "../random.js";

/** The paper's rates (Tang et al. 2024, Section 2.2 and identify.py). */
export const PAPER_LAPE = {topRate: 0.01, filterRate: 0.95, barRate: 0.95} as const;
export type LapeRates = {topRate: number; filterRate: number; barRate: number};

/** Python's round(): to the nearest integer, halves to even (the paper's index arithmetic). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The k-th smallest value (1-based, as torch.kthvalue). */
export function kthSmallest(values: ArrayLike<number>, k: number): number {
  return kthOfSorted(Float64Array.from(values).sort(), k);
}

/** kthSmallest of values already sorted ascending (one sort serves several quantiles). */
function kthOfSorted(sorted: Float64Array, k: number): number {
  if (!(Number.isInteger(k) && k >= 1 && k <= sorted.length)) throw new Error(`kthSmallest: k = ${k} is outside 1..${sorted.length}`);
  return sorted[k - 1];
}

/**
 * Activation probabilities, neuron-major [neurons, languages]: `active[k][n]` tokens of language k
 * activate neuron n, out of `tokens[k]`.
 */
export function activationProbabilities(active: readonly ArrayLike<number>[], tokens: readonly number[]): Float64Array {
  const languages = active.length;
  if (tokens.length !== languages) throw new Error(`activationProbabilities: ${languages} count arrays but ${tokens.length} token totals`);
  const neurons = active[0]?.length ?? 0;
  const probs = new Float64Array(neurons * languages);
  active.forEach((counts, k) => {
    if (counts.length !== neurons) throw new Error(`activationProbabilities: language ${k} has ${counts.length} neurons, expected ${neurons}`);
    if (!(tokens[k] > 0)) throw new Error(`activationProbabilities: language ${k} has no tokens`);
    for (let n = 0; n < neurons; n++) probs[n * languages + k] = counts[n] / tokens[k];
  });
  return probs;
}

/** LAPE of every neuron from probabilities [neurons, languages] (step 2). */
export function lapeEntropy(probs: Float64Array, languages: number): Float64Array {
  const neurons = probs.length / languages;
  const entropy = new Float64Array(neurons);
  for (let n = 0; n < neurons; n++) {
    let sum = 0;
    for (let k = 0; k < languages; k++) sum += probs[n * languages + k];
    let h = 0;
    for (let k = 0; k < languages; k++) {
      const q = sum > 0 ? probs[n * languages + k] / sum : 0;
      if (q > 0) h -= q * Math.log(q);
    }
    entropy[n] = h;
  }
  return entropy;
}

export interface LapeSelection {
  entropy: Float64Array;
  /** The `filterRate` quantile of all probabilities: a neuron must exceed it in some language. */
  filterValue: number;
  /** The `barRate` quantile: a selected neuron belongs to the languages where it exceeds this. */
  barValue: number;
  /** Neurons that exceed `filterValue` in some language. */
  candidates: number;
  /** The round(N * topRate) neurons of lowest LAPE, lowest first. */
  selected: number[];
  /** Per language (in input order), its neurons, ascending. */
  byLanguage: number[][];
}

/** Steps 3-5: the language-specific neurons of probabilities [neurons, languages]. */
export function selectLanguageNeurons(probs: Float64Array, languages: number, rates: LapeRates = PAPER_LAPE): LapeSelection {
  const neurons = probs.length / languages;
  if (!(languages >= 2 && Number.isInteger(neurons) && neurons > 0)) throw new Error(`LAPE needs at least 2 languages and 1 neuron (got ${languages} languages, ${probs.length} probabilities)`);
  const entropy = lapeEntropy(probs, languages);
  const sorted = Float64Array.from(probs).sort();
  const filterValue = kthOfSorted(sorted, roundHalfEven(probs.length * rates.filterRate));
  const barValue = kthOfSorted(sorted, roundHalfEven(probs.length * rates.barRate));
  const ranked = new Float64Array(entropy);
  let candidates = 0;
  for (let n = 0; n < neurons; n++) {
    let passes = false;
    for (let k = 0; k < languages; k++) passes ||= probs[n * languages + k] > filterValue;
    if (passes) candidates++;
    else ranked[n] = Infinity;
  }
  const order = Array.from({length: neurons}, (_, n) => n).sort((a, b) => ranked[a] - ranked[b] || a - b);
  const selected = order.slice(0, roundHalfEven(neurons * rates.topRate));
  const byLanguage = Array.from({length: languages}, (_, k) => selected.filter((n) => probs[n * languages + k] > barValue).sort((a, b) => a - b));
  return {entropy, filterValue, barValue, candidates, selected, byLanguage};
}

/** Neurons per layer of a set of layer-major neuron indices. */
export function perLayer(neurons: readonly number[], layers: number, intermediate: number): number[] {
  const counts = new Array<number>(layers).fill(0);
  for (const n of neurons) counts[Math.floor(n / intermediate)]++;
  return counts;
}

/** |A ∩ B| / |A ∪ B|; null when both are empty. */
export function jaccard(a: readonly number[], b: readonly number[]): number | null {
  const set = new Set(a);
  const shared = b.filter((n) => set.has(n)).length;
  const union = set.size + new Set(b).size - shared;
  return union === 0 ? null : shared / union;
}

/**
 * The random control of a neuron set: as many neurons in each layer as `neurons` has there, drawn
 * uniformly without replacement from that layer's (a partial Fisher-Yates shuffle, seeded per
 * `name` with seedFor), ascending.
 */
export function matchedRandomNeurons(neurons: readonly number[], layers: number, intermediate: number, seed: number, name: string): number[] {
  const random = mulberry32(seedFor(seed, name));
  const out: number[] = [];
  perLayer(neurons, layers, intermediate).forEach((count, layer) => {
    const pool = Array.from({length: intermediate}, (_, j) => layer * intermediate + j);
    for (let i = 0; i < count; i++) {
      const pick = i + Math.floor(random() * (intermediate - i));
      [pool[i], pool[pick]] = [pool[pick], pool[i]];
      out.push(pool[i]);
    }
  });
  return out.sort((a, b) => a - b);
}

/** A [layers * intermediate] mask of ones with the given neurons at 0. */
export function silencingMask(neurons: readonly number[], size: number): Float32Array {
  const mask = new Float32Array(size).fill(1);
  for (const n of neurons) mask[n] = 0;
  return mask;
}
