/**
 * Language-specific neurons of a model over a parallel text (LAPE, Tang et al. 2024; the math is
 * analyses/lape.ts) and what silencing them does to the model's next-token loss.
 *
 * The parallel units are split in two, alternately in sorted order: neurons are identified on the
 * even units and the loss is measured on the odd ones, so the loss is never read on the text the
 * neurons were chosen from. For each language with neurons (at most MAX_SILENCED, those with the
 * most), its neurons are silenced (mask 0) and the mean next-token cross-entropy is measured on
 * every such language's evaluation text;
 * the control silences as many random neurons, layer by layer (seeded). Encoders, and decoders
 * without a `logits` output, get the LAPE statistics and the reason there is no loss.
 */
import type {ResolvedModel} from "../models/resolve.js";
import type {Device} from "../models/device.js";
import {NeuronModel} from "../models/neuron-session.js";
import {
  activationProbabilities, jaccard, matchedRandomNeurons, PAPER_LAPE, perLayer, selectLanguageNeurons, silencingMask, type LapeRates
} from "../analyses/lape.js";
import {batches, loadTokenizer, padId, tokenize} from "./tokenize.js";
import type {TextItem} from "../types.js";

/**
 * At most this many languages are silenced, those with the most neurons (ties by code): each costs
 * two passes over the evaluation text of all of them, so the cost grows with its square.
 */
const MAX_SILENCED = 12;

export interface LanguageNeuronsSettings {
  maxLength: number;
  batchSize: number;
  seed: number;
  rates?: LapeRates;
  threads?: number;
  device?: Device;
  /** Hears one line per phase. */
  log?: (line: string) => void;
}

export interface LanguageNeuronStats {
  lang: string;
  /** Tokens of the identification half (every real token, special tokens included). */
  tokens: number;
  /** Its language-specific neurons, layer-major indices (layer * intermediate + j), ascending. */
  neurons: number[];
  perLayer: number[];
}

export interface SilencingRow {
  /** The language whose neurons are silenced. */
  lang: string;
  neurons: number;
  /** Loss change (nats per token) on each evaluated language, in `evaluated` order: its own neurons silenced, then as many random ones. */
  delta: number[];
  randomDelta: number[];
}

export interface InterventionResult {
  /** The languages silenced (at most MAX_SILENCED of those with neurons, the most neurons first), on whose evaluation text the loss is measured. */
  evaluated: string[];
  /** Mean next-token cross-entropy (nats per predicted token) with nothing silenced, and the tokens predicted, per evaluated language. */
  baseline: {lang: string; loss: number; tokens: number}[];
  rows: SilencingRow[];
}

export interface LanguageNeuronsResult {
  family: string;
  layers: number;
  intermediate: number;
  rates: LapeRates;
  split: {identify: number; evaluate: number};
  filterValue: number;
  barValue: number;
  /** Neurons above the filter value in some language, and how many were selected. */
  candidates: number;
  selected: number;
  languages: LanguageNeuronStats[];
  /** Jaccard overlap of the neuron sets of every pair of languages with neurons. */
  overlap: {a: string; b: string; shared: number; jaccard: number}[];
  intervention: InterventionResult | {skipped: string};
}

/** Units alternately to identification (even positions of the sorted units) and evaluation (odd). */
export function splitUnits(items: readonly Pick<TextItem, "unit">[]): {identify: Set<string>; evaluate: Set<string>} {
  const units = [...new Set(items.map((item) => item.unit))].sort();
  return {identify: new Set(units.filter((_, i) => i % 2 === 0)), evaluate: new Set(units.filter((_, i) => i % 2 === 1))};
}

/** Mean of -log p over the predicted positions (t + 1 < length) of each row's tokens, summed per group. */
export function addNextTokenLoss(
  logprobs: Float32Array, lengths: ArrayLike<number>, seqLen: number, group: readonly number[], sums: Float64Array, counts: Float64Array
): void {
  for (let b = 0; b < lengths.length; b++) {
    for (let t = 0; t + 1 < lengths[b]; t++) sums[group[b]] -= logprobs[b * seqLen + t];
    counts[group[b]] += Math.max(0, lengths[b] - 1);
  }
}

/** LAPE neurons of `model` on `items`, and the loss when they are silenced. */
export async function languageNeurons(model: ResolvedModel, items: readonly TextItem[], settings: LanguageNeuronsSettings): Promise<LanguageNeuronsResult | string> {
  const rates = settings.rates ?? PAPER_LAPE;
  const {identify, evaluate} = splitUnits(items);
  const langs = [...new Set(items.map((item) => item.lang))].sort();
  if (langs.length < 2) return `LAPE compares languages: the store has ${langs.length}`;
  const tokenizer = await loadTokenizer(model.dir);
  const pad = padId(tokenizer);
  const options = {threads: settings.threads, device: settings.device, sha256: model.files[model.onnx], source: model.raw};
  const activity = await NeuronModel.load(model.onnxPath, "activity", options);
  const batchSize = activity.file.feeds.batchDependent ? 1 : settings.batchSize;
  const {numLayers: layers, intermediate} = activity;
  const size = layers * intermediate;

  // Identification: per language, tokens with activation > 0, per neuron.
  const rows = items.flatMap((item, i) => (identify.has(item.unit) ? [i] : []));
  const ids = tokenize(tokenizer, rows.map((i) => items[i].text), settings.maxLength).ids;
  const langIndex = new Map(langs.map((lang, k) => [lang, k]));
  const active = langs.map(() => new Float64Array(size));
  const tokens = new Array<number>(langs.length).fill(0);
  try {
    for (const batch of batches(ids, ids.map((_, r) => r), batchSize, pad)) {
      const counts = await activity.activity({inputIds: batch.inputIds, attentionMask: batch.attentionMask, batch: batch.rows.length, seqLen: batch.seqLen});
      batch.rows.forEach((r, b) => {
        const k = langIndex.get(items[rows[r]].lang)!;
        tokens[k] += batch.lengths[b];
        counts.forEach((layer, l) => {
          for (let j = 0; j < intermediate; j++) active[k][l * intermediate + j] += layer[b * intermediate + j];
        });
      });
    }
  } finally {
    await activity.dispose();
  }
  const log = settings.log ?? (() => {});
  log(`neurons: activity of ${rows.length} items in ${langs.length} languages counted`);
  const present = langs.flatMap((lang, k) => (tokens[k] > 0 ? [k] : []));
  if (present.length < 2) return `LAPE compares languages: ${present.length} has text in the identification half of the units`;
  const probs = activationProbabilities(present.map((k) => active[k]), present.map((k) => tokens[k]));
  const selection = selectLanguageNeurons(probs, present.length, rates);
  const languages: LanguageNeuronStats[] = present.map((k, i) => ({
    lang: langs[k], tokens: tokens[k], neurons: selection.byLanguage[i], perLayer: perLayer(selection.byLanguage[i], layers, intermediate)
  }));
  const withNeurons = languages.filter((l) => l.neurons.length > 0);
  const overlap = withNeurons.flatMap((a, i) => withNeurons.slice(i + 1).map((b) => ({
    a: a.lang, b: b.lang, shared: a.neurons.filter((n) => b.neurons.includes(n)).length, jaccard: jaccard(a.neurons, b.neurons)!
  })));
  const base = {
    family: activity.file.taps.family, layers, intermediate, rates, split: {identify: identify.size, evaluate: evaluate.size},
    filterValue: selection.filterValue, barValue: selection.barValue, candidates: selection.candidates, selected: selection.selected.length, languages, overlap
  };
  if (!activity.file.taps.hasLogits) return {...base, intervention: {skipped: "the model has no language-model head (no logits output): silencing cannot be scored by next-token loss"}};
  if (withNeurons.length === 0) return {...base, intervention: {skipped: "no language has language-specific neurons to silence"}};

  // Intervention: the loss on each language with neurons, under each language's mask and its random control.
  const silenced = [...withNeurons].sort((a, b) => b.neurons.length - a.neurons.length || (a.lang < b.lang ? -1 : 1)).slice(0, MAX_SILENCED);
  const evaluated = silenced.map((l) => l.lang);
  log(`neurons: ${selection.selected.length} selected, ${evaluated.length} languages with neurons; silencing ${evaluated.length}`);
  const evalRows = items.flatMap((item, i) => (evaluate.has(item.unit) && evaluated.includes(item.lang) ? [i] : []));
  if (evalRows.length === 0) return {...base, intervention: {skipped: "no evaluation unit in the languages with neurons"}};
  const evalIds = tokenize(tokenizer, evalRows.map((i) => items[i].text), settings.maxLength).ids;
  const group = evalRows.map((i) => evaluated.indexOf(items[i].lang));
  const lossModel = await NeuronModel.load(model.onnxPath, "loss", {...options, intermediate});
  const evalBatches = batches(evalIds, evalIds.map((_, r) => r), lossModel.file.feeds.batchDependent ? 1 : settings.batchSize, pad);
  const loss = async (mask: Float32Array): Promise<{loss: number[]; tokens: number[]}> => {
    const sums = new Float64Array(evaluated.length);
    const counts = new Float64Array(evaluated.length);
    for (const batch of evalBatches) {
      const logprobs = await lossModel.nextTokenLogprobs({inputIds: batch.inputIds, attentionMask: batch.attentionMask, batch: batch.rows.length, seqLen: batch.seqLen}, mask);
      addNextTokenLoss(logprobs, batch.lengths, batch.seqLen, batch.rows.map((r) => group[r]), sums, counts);
    }
    return {loss: Array.from(sums, (s, g) => s / counts[g]), tokens: Array.from(counts)};
  };
  try {
    const baseline = await loss(lossModel.ones());
    const rows: SilencingRow[] = [];
    for (const l of silenced) {
      const own = await loss(silencingMask(l.neurons, size));
      const random = await loss(silencingMask(matchedRandomNeurons(l.neurons, layers, intermediate, settings.seed, l.lang), size));
      rows.push({
        lang: l.lang, neurons: l.neurons.length,
        delta: own.loss.map((v, g) => v - baseline.loss[g]), randomDelta: random.loss.map((v, g) => v - baseline.loss[g])
      });
    }
    return {...base, intervention: {evaluated, baseline: evaluated.map((lang, g) => ({lang, loss: baseline.loss[g], tokens: baseline.tokens[g]})), rows}};
  } finally {
    await lossModel.dispose();
  }
}
