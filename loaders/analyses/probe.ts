import {auroc} from "./auroc.js";
import {stratifiedKFold} from "./kfold.js";
import {fitLogistic, predictProbability, type LogisticModel} from "./logistic.js";
import {selectRows, type Matrix} from "./matrix.js";
import {fitStandardizer, standardize, type Standardizer} from "./standardize.js";
import type {LabelledVectors, LayerScores, ProbeLanguageRow, ProbeResult, ProbeSettings, SkippedLanguage} from "./types.js";

/*
 * Knowledge-boundary probes (Analyzing LLMs' Knowledge Boundary Cognition Across Languages
 * Through the Lens of Internal Representations, ACL 2025): per layer, a logistic-regression
 * probe reads the known/unknown label from a hidden state; k-fold cross-validated accuracy and
 * AUROC say how linearly decodable the label is in that layer.
 */

export interface ProbeOptions {
  /** Inverse L2 strength, as scikit-learn's C. Default 1. */
  c?: number;
  /** Cross-validation folds. Default 5. */
  folds?: number;
  /** Seed of the fold shuffle. Default 0. */
  seed?: number;
  /** Layers to probe. Default: every layer of the input. */
  layers?: number[];
}

/** A probe: features standardised with statistics of its training rows, then logistic regression. */
export interface Probe {
  standardizer: Standardizer;
  model: LogisticModel;
}

/** A language needs this many rows of each class so that every training fold holds both classes. */
export const MIN_PER_CLASS = 2;

/** Fits a probe on rows `x` with 0/1 labels `y`. */
export function trainProbe(x: Matrix, y: ArrayLike<number>, c: number): Probe {
  const standardizer = fitStandardizer(x);
  return {standardizer, model: fitLogistic(standardize(x, standardizer), y, {c})};
}

/** P(label 1) of every row of `x` under a trained probe. */
export function probeProbability(probe: Probe, x: Matrix): Float64Array {
  return predictProbability(probe.model, standardize(x, probe.standardizer));
}

/**
 * Out-of-fold P(label 1) of every row: each row is scored by the probe trained on the other
 * folds. Folds are stratified by `strata` (the labels, or language x label when pooling).
 */
export function crossValidatedProbability(
  x: Matrix, y: ArrayLike<number>, strata: ArrayLike<number | string>, settings: Pick<ProbeSettings, "c" | "folds" | "seed">
): Float64Array {
  const out = new Float64Array(x.rows);
  for (const {train, test} of stratifiedKFold(strata, settings.folds, settings.seed)) {
    const trained = trainProbe(selectRows(x, train), pick(y, train), settings.c);
    probeProbability(trained, selectRows(x, test)).forEach((p, k) => (out[test[k]] = p));
  }
  return out;
}

/** Fraction of rows whose probability is on the side of 0.5 of their label (0.5 itself counts as 0). */
export function accuracy(probability: ArrayLike<number>, y: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < y.length; i++) correct += Number((probability[i] > 0.5 ? 1 : 0) === y[i]);
  return correct / y.length;
}

/**
 * Probes every requested layer: once within each language (k-fold over its rows) and once
 * pooled over all languages (k-fold stratified by language and label), scoring the pooled
 * probe's out-of-fold predictions overall and per language.
 *
 * @example
 * const result = probe({layers, unit, lang, label}, {c: 1, folds: 5, seed: 0});
 * result.languages.find((r) => r.lang === "deu")?.within?.accuracy[6]; // layer 6, German
 */
export function probe(input: LabelledVectors, options: ProbeOptions = {}): ProbeResult {
  const settings = resolveProbeSettings(input, options);
  const groups = languageRows(input);
  const {probed, skipped} = splitByClassCounts(groups, input.label, settings.folds);
  const pooledStrata = input.lang.map((lang, i) => `${lang}\u0000${input.label[i]}`);
  const pooled = emptyScores(settings.layers.length);
  const rows: ProbeLanguageRow[] = [...groups].map(([lang, indices]) => ({
    lang,
    n: indices.length,
    positives: countPositives(input.label, indices),
    within: probed.has(lang) ? emptyScores(settings.layers.length) : null,
    pooled: emptyScores(settings.layers.length),
  }));
  settings.layers.forEach((layer, k) => {
    const x = input.layers[layer];
    const pooledProbability = crossValidatedProbability(x, input.label, pooledStrata, settings);
    setScores(pooled, k, pooledProbability, input.label);
    for (const row of rows) {
      const indices = groups.get(row.lang)!;
      const y = pick(input.label, indices);
      setScores(row.pooled, k, pick(pooledProbability, indices), y);
      if (row.within) {
        setScores(row.within, k, crossValidatedProbability(selectRows(x, indices), y, y, settings), y);
      }
    }
  });
  return {
    method: "knowledge-probe",
    settings,
    pooled: {...pooled, n: input.label.length, positives: countPositives(input.label)},
    languages: rows,
    skipped,
  };
}

/**
 * Item labels as the probes' 0/1 labels: 1 for `positive`, 0 for `negative`. Any other value,
 * or a missing label, is an error naming the row, since a probe must not silently drop items.
 *
 * @example
 * binaryLabels(["known", "unknown", "known"]); // Uint8Array [1, 0, 1]
 */
export function binaryLabels(
  labels: readonly (string | undefined)[], positive = "known", negative = "unknown"
): Uint8Array {
  return Uint8Array.from(labels, (label, i) => {
    if (label === positive) return 1;
    if (label === negative) return 0;
    throw new Error(`binaryLabels: row ${i} has label ${JSON.stringify(label)}, expected "${positive}" or "${negative}"`);
  });
}

/**
 * Validates options and input against each other and fills defaults; shared by every probe
 * analysis, whose name (`caller`) starts each error message.
 */
export function resolveProbeSettings(input: LabelledVectors, options: ProbeOptions, caller = "probe"): ProbeSettings {
  const {c = 1, folds = 5, seed = 0, layers = input.layers.map((_, l) => l)} = options;
  if (!(c > 0) || !Number.isFinite(c)) throw new Error(`${caller}: c must be a positive number, got ${c}`);
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`${caller}: folds must be an integer >= 2, got ${folds}`);
  if (!Number.isInteger(seed)) throw new Error(`${caller}: seed must be an integer, got ${seed}`);
  for (const layer of layers) {
    if (!Number.isInteger(layer) || layer < 0 || layer >= input.layers.length) {
      throw new Error(`${caller}: layer ${layer} does not exist (the input has layers 0..${input.layers.length - 1})`);
    }
  }
  const n = input.label.length;
  if (input.lang.length !== n || input.unit.length !== n) {
    throw new Error(`${caller}: ${n} labels, ${input.lang.length} languages and ${input.unit.length} units must match`);
  }
  input.layers.forEach((m, l) => {
    if (m.rows !== n) throw new Error(`${caller}: layer ${l} has ${m.rows} rows, expected ${n} (one per label)`);
  });
  for (let i = 0; i < n; i++) {
    if (input.label[i] !== 0 && input.label[i] !== 1) {
      throw new Error(`${caller}: label of row ${i} is ${input.label[i]}, expected 0 or 1`);
    }
  }
  const positives = countPositives(input.label);
  if (Math.min(positives, n - positives) < MIN_PER_CLASS) {
    throw new Error(`${caller}: needs at least ${MIN_PER_CLASS} rows of each class, got ${positives} positive and ${n - positives} negative`);
  }
  return {c, folds, seed, layers: [...layers]};
}

/** Row indices of each language, languages in order of first appearance. */
export function languageRows(input: Pick<LabelledVectors, "lang">): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  input.lang.forEach((lang, i) => {
    const rows = groups.get(lang);
    if (rows) rows.push(i);
    else groups.set(lang, [i]);
  });
  return groups;
}

/**
 * Splits languages into those with enough rows of each class for a k-fold probe of their own
 * and the rest, with the reason.
 */
export function splitByClassCounts(
  groups: Map<string, number[]>, label: ArrayLike<number>, folds: number
): {probed: Set<string>; skipped: SkippedLanguage[]} {
  const probed = new Set<string>();
  const skipped: SkippedLanguage[] = [];
  for (const [lang, indices] of groups) {
    const positives = countPositives(label, indices);
    const negatives = indices.length - positives;
    if (Math.min(positives, negatives) >= MIN_PER_CLASS && indices.length >= folds) probed.add(lang);
    else {
      skipped.push({
        lang,
        reason: `needs at least ${MIN_PER_CLASS} rows of each class and ${folds} rows, has ${positives} positive and ${negatives} negative`,
      });
    }
  }
  return {probed, skipped};
}

/** Accuracy and AUROC of `probability` against `y`, written at layer position k. */
export function setScores(scores: LayerScores, k: number, probability: ArrayLike<number>, y: ArrayLike<number>): void {
  scores.accuracy[k] = accuracy(probability, y);
  scores.auroc[k] = auroc(probability, y);
}

export function emptyScores(layers: number): LayerScores {
  return {accuracy: new Array<number>(layers).fill(NaN), auroc: new Array<number>(layers).fill(NaN)};
}

/** values[indices[k]] for every k, as a new array. */
export function pick(values: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]];
  return out;
}

function countPositives(label: ArrayLike<number>, indices?: ArrayLike<number>): number {
  let count = 0;
  if (indices) for (let k = 0; k < indices.length; k++) count += label[indices[k]];
  else for (let i = 0; i < label.length; i++) count += label[i];
  return count;
}
