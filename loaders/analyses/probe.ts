import {auroc} from "./auroc.js";
import {onLayers, rowsOf} from "./layer-steps.js";
import {tInterval} from "./bootstrap.js";
import {fitLogistic, predictProbability, type LogisticModel} from "./logistic.js";
import {selectRows, type Matrix} from "./matrix.js";
import {PAPER_SEED, splitRows, unitFolds} from "./protocol.js";
import {fitStandardizer, standardize, type Standardizer} from "./standardize.js";
import {
  PROBE_PROTOCOLS, type LabelledVectors, type LayerScores, type ProbeLanguageRow, type ProbeProtocol, type ProbeResult,
  type ProbeSettings, type SkippedLanguage,
} from "./types.js";
import type {LabelledRows} from "../vectors.js";

/*
 * Knowledge-boundary probes (Analyzing LLMs' Knowledge Boundary Cognition Across Languages
 * Through the Lens of Internal Representations, ACL 2025): per layer, a logistic-regression
 * probe reads the known/unknown label from a hidden state; k-fold cross-validated accuracy and
 * AUROC say how linearly decodable the label is in that layer. Folds are over units and shared
 * by every language (protocol.ts); `protocol` picks the paper's procedure or Babelscope's.
 */

export interface ProbeOptions {
  /**
   * "babelscope" (default): standardised features, folds grouped by `groups`. "paper": raw
   * features and the paper's scikit-learn folds (pass no `folds`/`seed` to get its 5 and 42).
   */
  protocol?: ProbeProtocol;
  /** Inverse L2 strength, as scikit-learn's C. Default 1. */
  c?: number;
  /** Cross-validation folds. Default 5. */
  folds?: number;
  /** Seed of the folds. Default 42 (scikit-learn's random_state in the paper's code) under "paper", else 0. */
  seed?: number;
  /** Layers to probe. Default: every layer of the input. */
  layers?: number[];
  /**
   * One group per row (e.g. the entity a question is about), "babelscope" only: no group has
   * rows in both the training and the test folds. Default: each unit is its own group.
   */
  groups?: readonly string[];
  /** Confidence level of the accuracy intervals over folds. Default 0.95. */
  confidence?: number;
}

/** A probe: logistic regression, on features standardised with its training rows' statistics unless `standardizer` is null. */
export interface Probe {
  standardizer: Standardizer | null;
  model: LogisticModel;
}

/** A language needs this many rows of each class so that every training fold can hold both classes. */
const MIN_PER_CLASS = 2;

/**
 * Newton steps allowed to a probe. The protocols define the probe as the optimum of the
 * objective, so a fit that does not converge is an error, not a result; raw hidden states
 * (the paper's protocol) are badly scaled, hence more room than logistic.ts's default.
 */
const PROBE_ITERATIONS = 1000;

/**
 * Fits a probe on rows `x` with 0/1 labels `y`: under "babelscope" on standardised features,
 * under "paper" on the raw features (the paper fits scikit-learn's LogisticRegression(C=1) on
 * hidden states as they are; the same objective, solved to its optimum by logistic.ts).
 */
export function trainProbe(x: Matrix, y: ArrayLike<number>, c: number, protocol: ProbeProtocol = "babelscope"): Probe {
  const standardizer = protocol === "babelscope" ? fitStandardizer(x) : null;
  const model = fitLogistic(standardizer ? standardize(x, standardizer) : x, y, {c, maxIterations: PROBE_ITERATIONS});
  if (!model.converged) {
    throw new Error(`trainProbe: logistic regression did not converge in ${PROBE_ITERATIONS} Newton steps (${x.rows} rows, ${x.cols} features, C=${c})`);
  }
  return {standardizer, model};
}

/** P(label 1) of every row of `x` under a trained probe. */
function probeProbability(probe: Probe, x: Matrix): Float64Array {
  return predictProbability(probe.model, probe.standardizer ? standardize(x, probe.standardizer) : x);
}

/** Fraction of rows whose probability is on the side of 0.5 of their label (0.5 itself counts as 0). */
export function accuracy(probability: ArrayLike<number>, y: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < y.length; i++) correct += Number((probability[i] > 0.5 ? 1 : 0) === y[i]);
  return correct / y.length;
}

/** How the rows of one layer are split: the fold of each row, and the number of folds. */
export interface FoldPlan {
  foldOfRow: Int32Array;
  folds: number;
}

/** The probe of every fold, each trained on the rows of `trainRows` outside that fold. */
export function foldProbes(
  x: Matrix, label: ArrayLike<number>, trainRows: readonly number[], plan: FoldPlan, settings: Pick<ProbeSettings, "c" | "protocol">
): Probe[] {
  return Array.from({length: plan.folds}, (_, f) => {
    const {train} = splitRows(trainRows, plan.foldOfRow, f);
    return trainProbe(selectRows(x, train), pick(label, train), settings.c, settings.protocol);
  });
}

/** One cell's scores: see LayerScores. */
export interface HeldOutScores {
  accuracy: number;
  low: number;
  high: number;
  foldAccuracy: number[];
  auroc: number;
}

/**
 * Scores of `testRows`, each row scored only by the probe of its own fold (so by a probe that
 * never saw its unit), after `transform(f, rows)` when given (an alignment fitted on fold f's
 * training rows). Accuracy per fold, their mean and t interval; AUROC over all rows.
 */
export function heldOutScores(
  probes: readonly Probe[], x: Matrix, label: ArrayLike<number>, testRows: readonly number[], plan: FoldPlan,
  confidence: number, transform?: (f: number, rows: Matrix) => Matrix
): HeldOutScores {
  const probability = new Float64Array(testRows.length);
  const y = pick(label, testRows);
  const position = new Map(testRows.map((i, k) => [i, k]));
  const foldAccuracy = probes.map((probe, f) => {
    const {test} = splitRows(testRows, plan.foldOfRow, f);
    if (test.length === 0) return NaN;
    const rows = selectRows(x, test);
    const p = probeProbability(probe, transform ? transform(f, rows) : rows);
    p.forEach((value, t) => (probability[position.get(test[t])!] = value));
    return accuracy(p, pick(label, test));
  });
  const scored = foldAccuracy.filter((a) => !Number.isNaN(a));
  const interval = tInterval(scored, confidence);
  // Accuracy lives in [0, 1]; a t interval over 5 folds near 1 can reach past it.
  return {
    accuracy: interval.estimate,
    low: Math.max(0, interval.low),
    high: Math.min(1, interval.high),
    foldAccuracy,
    auroc: auroc(probability, y),
  };
}

/**
 * Probes every requested layer: within each language (trained and tested on its own rows)
 * and pooled (trained on every language's rows, including skipped languages', and scored on
 * every row and per language), all on the shared unit folds.
 *
 * @example
 * const result = probe({layers, unit, lang, label}, {groups: entityOfRow});
 * result.languages.find((r) => r.lang === "deu")?.within?.accuracy[6]; // layer 6, German
 * probe(input, {protocol: "paper"}); // the paper's procedure: raw features, StratifiedKFold(5, shuffle, 42)
 */
export function probe(input: LabelledVectors, options: ProbeOptions = {}): ProbeResult {
  return onLayers(probeSteps(rowsOf(input), options), input.layers);
}

/** `probe`, one layer at a time: only the probed layers are read. */
export function* probeSteps(input: LabelledRows, options: ProbeOptions = {}): Generator<number, ProbeResult, Matrix> {
  const settings = resolveProbeSettings(input, options);
  const plan = foldPlan(input, settings, options.groups);
  const groups = languageRows(input);
  const {probed, skipped} = splitByClassCounts(groups, input.label, plan);
  const all = input.label.length;
  const everyRow = Array.from({length: all}, (_, i) => i);
  const layers = settings.layers.length;
  const pooled = emptyScores(layers);
  const rows: ProbeLanguageRow[] = [...groups].map(([lang, indices]) => ({
    lang,
    n: indices.length,
    positives: countPositives(input.label, indices),
    within: probed.has(lang) ? emptyScores(layers) : null,
    pooled: emptyScores(layers),
  }));
  for (const [k, layer] of settings.layers.entries()) {
    const x = yield layer;
    checkLayerRows(x, layer, all, "probe");
    const pooledProbes = foldProbes(x, input.label, everyRow, plan, settings);
    setScores(pooled, k, heldOutScores(pooledProbes, x, input.label, everyRow, plan, settings.confidence));
    for (const row of rows) {
      const indices = groups.get(row.lang)!;
      setScores(row.pooled, k, heldOutScores(pooledProbes, x, input.label, indices, plan, settings.confidence));
      if (row.within) {
        const own = foldProbes(x, input.label, indices, plan, settings);
        setScores(row.within, k, heldOutScores(own, x, input.label, indices, plan, settings.confidence));
      }
    }
  }
  return {
    method: "knowledge-probe",
    settings,
    pooled: {...pooled, n: all, positives: countPositives(input.label)},
    languages: rows,
    skipped,
  };
}

/** The unit folds of `input` under `settings` (see protocol.ts). */
export function foldPlan(input: Pick<LabelledRows, "unit" | "label">, settings: ProbeSettings, groups?: readonly string[], caller = "probe"): FoldPlan {
  const useGroups = settings.protocol === "babelscope" ? groups : undefined;
  return {foldOfRow: unitFolds(input, settings.protocol, settings.folds, settings.seed, useGroups, caller), folds: settings.folds};
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
export function resolveProbeSettings(input: LabelledRows, options: ProbeOptions, caller = "probe"): ProbeSettings {
  const {protocol = "babelscope", c = 1, folds = 5, layers = Array.from({length: input.layerCount}, (_, l) => l), groups, confidence = 0.95} = options;
  const {seed = protocol === "paper" ? PAPER_SEED : 0} = options;
  if (!PROBE_PROTOCOLS.includes(protocol)) {
    throw new Error(`${caller}: unknown protocol "${protocol as string}" (choose one of ${PROBE_PROTOCOLS.join(", ")})`);
  }
  if (!(c > 0) || !Number.isFinite(c)) throw new Error(`${caller}: c must be a positive number, got ${c}`);
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`${caller}: folds must be an integer >= 2, got ${folds}`);
  if (!Number.isInteger(seed)) throw new Error(`${caller}: seed must be an integer, got ${seed}`);
  if (protocol === "paper" && (seed < 0 || seed > 0xffffffff)) {
    throw new Error(`${caller}: the paper protocol's seed is a numpy seed in [0, 2^32), got ${seed}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new Error(`${caller}: confidence must be in (0, 1), got ${confidence}`);
  for (const layer of layers) {
    if (!Number.isInteger(layer) || layer < 0 || layer >= input.layerCount) {
      throw new Error(`${caller}: layer ${layer} does not exist (the input has layers 0..${input.layerCount - 1})`);
    }
  }
  const n = input.label.length;
  if (input.lang.length !== n || input.unit.length !== n) {
    throw new Error(`${caller}: ${n} labels, ${input.lang.length} languages and ${input.unit.length} units must match`);
  }
  if (groups && groups.length !== n) throw new Error(`${caller}: ${groups.length} groups for ${n} rows`);
  for (let i = 0; i < n; i++) {
    if (input.label[i] !== 0 && input.label[i] !== 1) {
      throw new Error(`${caller}: label of row ${i} is ${input.label[i]}, expected 0 or 1`);
    }
  }
  const positives = countPositives(input.label);
  if (Math.min(positives, n - positives) < MIN_PER_CLASS) {
    throw new Error(`${caller}: needs at least ${MIN_PER_CLASS} rows of each class, got ${positives} positive and ${n - positives} negative`);
  }
  const grouping = protocol === "babelscope" && groups ? "groups" : "units";
  return {protocol, c, folds, seed, layers: [...layers], grouping, confidence};
}

/** A probed layer, as it is read, must have one row per label. */
export function checkLayerRows(x: Matrix, layer: number, n: number, caller: string): void {
  if (x.rows !== n) throw new Error(`${caller}: layer ${layer} has ${x.rows} rows, expected ${n} (one per label)`);
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
 * Splits languages into those a probe can be trained on (enough rows of each class, and both
 * classes in every fold's training rows) and the rest, with the reason.
 */
export function splitByClassCounts(
  groups: Map<string, number[]>, label: ArrayLike<number>, plan: FoldPlan
): {probed: Set<string>; skipped: SkippedLanguage[]} {
  const probed = new Set<string>();
  const skipped: SkippedLanguage[] = [];
  for (const [lang, indices] of groups) {
    const reason = untrainable(indices, label, plan);
    if (reason) skipped.push({lang, reason});
    else probed.add(lang);
  }
  return {probed, skipped};
}

/** Why no probe can be trained on `rows` under `plan`, or null. */
function untrainable(rows: number[], label: ArrayLike<number>, plan: FoldPlan): string | null {
  const positives = countPositives(label, rows);
  const negatives = rows.length - positives;
  if (Math.min(positives, negatives) < MIN_PER_CLASS || rows.length < plan.folds) {
    return `needs at least ${MIN_PER_CLASS} rows of each class and ${plan.folds} rows, has ${positives} positive and ${negatives} negative`;
  }
  for (let f = 0; f < plan.folds; f++) {
    const {train} = splitRows(rows, plan.foldOfRow, f);
    const trainPositives = countPositives(label, train);
    if (trainPositives === 0 || trainPositives === train.length) {
      return `fold ${f + 1} of ${plan.folds} leaves only ${trainPositives === 0 ? "negative" : "positive"} rows to train on`;
    }
  }
  return null;
}

/** One cell's scores written at layer position k. */
export function setScores(scores: LayerScores, k: number, cell: HeldOutScores): void {
  scores.accuracy[k] = cell.accuracy;
  scores.low[k] = cell.low;
  scores.high[k] = cell.high;
  scores.foldAccuracy[k] = cell.foldAccuracy;
  scores.auroc[k] = cell.auroc;
}

export function emptyScores(layers: number): LayerScores {
  const nan = () => new Array<number>(layers).fill(NaN);
  return {accuracy: nan(), low: nan(), high: nan(), foldAccuracy: Array.from({length: layers}, () => []), auroc: nan()};
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
