/**
 * Word pairs across languages (data/words/): per layer, the cosine of each pair's two word
 * vectors, its mean per kind with a t interval, and two contrasts with the pairs' form similarity
 * held fixed: translations against controls, and cognates against false friends (written alike,
 * meaning apart). A representation driven by spelling alone ranks pairs as their form similarity
 * does; one that carries meaning puts translations above controls and cognates above false
 * friends at the same form similarity.
 */
import {tInterval, type Interval} from "./bootstrap.js";
import {cholesky, solveCholesky} from "./cholesky.js";
import {cosine} from "./cosine.js";
import {formSimilarity} from "./form-similarity.js";
import {row} from "./matrix.js";
import {studentTQuantile} from "./student-t.js";
import type {Matrix, VectorRows} from "../vectors.js";

export const WORD_KINDS = ["cognate", "false-friend", "translation", "control"] as const;
export type WordKind = (typeof WORD_KINDS)[number];

/** The "all" language pair pools every pair. */
const ALL_PAIRS = "all";

/** One word pair of a store: its two rows (English first), language pair, kind and form similarity. */
export interface WordPair {
  english: number;
  other: number;
  pair: string;
  kind: WordKind;
  form: number;
}

/**
 * The word pairs among a store's rows: units with exactly one English row and one row of another
 * language, labelled with a word kind. Other units are left out.
 */
export function wordPairs(rows: {unit: readonly string[]; lang: readonly string[]; label: readonly (string | undefined)[]; text: readonly string[]}): WordPair[] {
  const byUnit = new Map<string, number[]>();
  rows.unit.forEach((unit, i) => {
    if (!byUnit.has(unit)) byUnit.set(unit, []);
    byUnit.get(unit)!.push(i);
  });
  const out: WordPair[] = [];
  for (const members of byUnit.values()) {
    if (members.length !== 2) continue;
    const english = members.find((i) => rows.lang[i] === "eng"), other = members.find((i) => rows.lang[i] !== "eng");
    const kind = rows.label[members[0]] as WordKind;
    if (english === undefined || other === undefined || !WORD_KINDS.includes(kind) || rows.label[other] !== kind) continue;
    out.push({english, other, pair: `eng-${rows.lang[other]}`, kind, form: formSimilarity(rows.text[english], rows.text[other])});
  }
  return out;
}

/**
 * The effect of being in the first group rather than the second on the cosine, with the form
 * similarity held fixed: the indicator's coefficient in the least-squares fit
 * cosine ~ 1 + form + indicator, with its t interval (n - 3 degrees of freedom).
 */
export interface Contrast extends Interval {
  n: number;
}

/**
 * Least squares of y on [1, form, group] and the t interval of the group coefficient; NaN when
 * the design is singular (a group empty, or form collinear with the group) or n <= 3.
 *
 * @example
 * formAdjustedContrast([0.9, 0.8, 0.3, 0.2], [1, 0.5, 1, 0.5], [1, 1, 0, 0]) // estimate 0.6 (an exact fit: interval 0.6..0.6)
 */
export function formAdjustedContrast(y: readonly number[], form: readonly number[], group: readonly number[], confidence = 0.95): Contrast {
  const n = y.length;
  const none = {estimate: NaN, low: NaN, high: NaN, n};
  if (n <= 3) return none;
  const xtx = new Float64Array(9), xty = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    const x = [1, form[i], group[i]];
    for (let a = 0; a < 3; a++) {
      xty[a] += x[a] * y[i];
      for (let b = 0; b < 3; b++) xtx[a * 3 + b] += x[a] * x[b];
    }
  }
  const l = cholesky(xtx, 3);
  if (!l) return none;
  const beta = solveCholesky(l, 3, Float64Array.from(xty), 1);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - beta[0] - beta[1] * form[i] - beta[2] * group[i]) ** 2;
  // The group coefficient's variance: sigma^2 times the last diagonal entry of (X'X)^-1.
  const inverseColumn = solveCholesky(l, 3, Float64Array.from([0, 0, 1]), 1);
  const half = studentTQuantile((1 + confidence) / 2, n - 3) * Math.sqrt((rss / (n - 3)) * inverseColumn[2]);
  return {estimate: beta[2], low: beta[2] - half, high: beta[2] + half, n};
}

export interface KindSummary {
  kind: WordKind;
  n: number;
  /** Mean cosine of the kind's pairs, with its t interval. */
  cosine: Interval;
}

export interface PairLayer {
  pair: string;
  kinds: KindSummary[];
  /** Translations minus controls, form similarity held fixed. */
  translationVsControl: Contrast;
  /** Cognates minus false friends, form similarity held fixed: the meaning contrast at matched form. */
  cognateVsFalseFriend: Contrast;
}

export interface WordsResult {
  /** Mean form similarity (1 - normalised edit distance over Latin keys) per language pair and kind: the spelling baseline. */
  form: {pair: string; kind: WordKind; n: number; mean: number}[];
  layers: {layer: number; pairs: PairLayer[]}[];
}

/** The language pairs present, sorted, then "all". */
function pairNames(pairs: readonly WordPair[]): string[] {
  return [...[...new Set(pairs.map((p) => p.pair))].sort(), ALL_PAIRS];
}

const inPair = (pairs: readonly WordPair[], name: string) => (name === ALL_PAIRS ? [...pairs] : pairs.filter((p) => p.pair === name));

function contrast(pairs: readonly WordPair[], cosines: Float64Array, first: WordKind, second: WordKind, confidence: number): Contrast {
  const rows = pairs.flatMap((p, k) => (p.kind === first || p.kind === second ? [k] : []));
  return formAdjustedContrast(rows.map((k) => cosines[k]), rows.map((k) => pairs[k].form), rows.map((k) => Number(pairs[k].kind === first)), confidence);
}

/** One layer's summaries: the cosine of every pair, then per language pair (and all) the kinds and contrasts. */
function wordsLayer(layer: Matrix, pairs: readonly WordPair[], confidence = 0.95): PairLayer[] {
  const cosines = Float64Array.from(pairs, (p) => cosine(row(layer, p.english), row(layer, p.other)));
  const index = new Map(pairs.map((p, k) => [p, k]));
  return pairNames(pairs).map((name) => {
    const members = inPair(pairs, name);
    const values = Float64Array.from(members, (p) => cosines[index.get(p)!]);
    const kinds = WORD_KINDS.map((kind) => {
      const of = values.filter((_, k) => members[k].kind === kind);
      return {kind, n: of.length, cosine: tInterval(of, confidence)};
    }).filter((k) => k.n > 0);
    return {
      pair: name,
      kinds,
      translationVsControl: contrast(members, values, "translation", "control", confidence),
      cognateVsFalseFriend: contrast(members, values, "cognate", "false-friend", confidence)
    };
  });
}

/** Mean form similarity per language pair (and all) and kind. */
function formBaseline(pairs: readonly WordPair[]): WordsResult["form"] {
  return pairNames(pairs).flatMap((name) => WORD_KINDS.flatMap((kind) => {
    const of = inPair(pairs, name).filter((p) => p.kind === kind);
    return of.length ? [{pair: name, kind, n: of.length, mean: of.reduce((s, p) => s + p.form, 0) / of.length}] : [];
  }));
}

/** Every layer's summaries, reading the layers in order (see layer-steps.ts). */
export function* wordsSteps(data: Pick<VectorRows, "layerCount">, pairs: readonly WordPair[], confidence = 0.95): Generator<number, WordsResult, Matrix> {
  if (pairs.length === 0) throw new Error("no word pairs: no unit holds an English word and another language's word labelled with a word kind");
  const layers: WordsResult["layers"] = [];
  for (let layer = 0; layer < data.layerCount; layer++) layers.push({layer, pairs: wordsLayer(yield layer, pairs, confidence)});
  return {form: formBaseline(pairs), layers};
}
