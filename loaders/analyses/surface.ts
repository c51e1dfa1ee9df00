import {auroc} from "./auroc.js";
import type {Fold} from "./kfold.js";
import {fitLogistic, predictProbability, type LogisticOptions} from "./logistic.js";
import {matrix, type Matrix} from "./matrix.js";
import {accuracy} from "./probe.js";

/*
 * Surface-form baseline for the knowledge-boundary pages: how well a label is read off the
 * spelling of each item's text alone, with no model. Features are TF-IDF weights of character
 * 1-3-grams within words, exactly scikit-learn's TfidfVectorizer(analyzer="char_wb",
 * ngram_range=(1, 3)) with its defaults (lowercase, smooth idf, L2-normalised rows); the
 * classifier is logistic.ts's L2 logistic regression, scikit-learn's LogisticRegression(C). It
 * runs on the folds it is given, so it is scored on the same splits as the hidden-state probe.
 * loaders/datasets/surface_probe.py is the same pipeline in scikit-learn, and the reference the
 * tests compare with.
 */

/**
 * The character n-grams (n = 1..3) of each word of `text`, lowercased, each word padded with one
 * space on either side, as scikit-learn's `_char_wb_ngrams` (its special case, a padded word
 * shorter than n, cannot happen for n <= 3). Characters are code points (Python's string indexing).
 *
 * @example
 * charNgrams("Ab c"); // [" ", "a", "b", " ", " a", "ab", "b ", " ab", "ab ", " ", "c", " ", " c", "c ", " c "]
 */
export function charNgrams(text: string): string[] {
  const out: string[] = [];
  // str.split() with no argument: runs of whitespace separate words, none is empty.
  for (const word of text.toLowerCase().split(/\s+/u).filter((w) => w.length > 0)) {
    const w = [" ", ...Array.from(word), " "];
    for (let n = 1; n <= 3; n++) {
      for (let offset = 0; offset + n <= w.length; offset++) out.push(w.slice(offset, offset + n).join(""));
    }
  }
  return out;
}

/** The fitted vocabulary: n-gram -> column, and each column's inverse document frequency. */
export interface Tfidf {
  columns: Map<string, number>;
  idf: Float64Array;
}

/**
 * Learns the vocabulary and idf = ln((1 + n) / (1 + df)) + 1 from `texts` (scikit-learn's smooth
 * idf; df = texts containing the n-gram), keeping n-grams in at least `minDf` texts (scikit-learn's
 * integer `min_df`; its default 1 keeps all). Columns are in order of first appearance; the order
 * does not change the fit.
 */
export function fitTfidf(texts: readonly string[], minDf = 1): Tfidf {
  const df = new Map<string, number>();
  for (const text of texts) for (const gram of new Set(charNgrams(text))) df.set(gram, (df.get(gram) ?? 0) + 1);
  const kept = [...df].filter(([, d]) => d >= minDf);
  const n = texts.length;
  return {
    columns: new Map(kept.map(([gram], column) => [gram, column])),
    idf: Float64Array.from(kept, ([, d]) => Math.log((1 + n) / (1 + d)) + 1)
  };
}

/**
 * The TF-IDF rows of `texts` (raw counts times idf, then each row scaled to unit length), n-grams
 * outside the vocabulary ignored, as a dense matrix for logistic.ts (3,264 training rows of the
 * six-language question set by 5,500 columns: 72 MB as float32).
 */
export function tfidfMatrix(tfidf: Tfidf, texts: readonly string[]): Matrix {
  const cols = tfidf.idf.length;
  const data = new Float32Array(texts.length * cols);
  texts.forEach((text, i) => {
    const counts = new Map<number, number>();
    for (const gram of charNgrams(text)) {
      const column = tfidf.columns.get(gram);
      if (column !== undefined) counts.set(column, (counts.get(column) ?? 0) + 1);
    }
    let norm = 0;
    for (const [column, count] of counts) norm += (count * tfidf.idf[column]) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const [column, count] of counts) data[i * cols + column] = count * tfidf.idf[column] * scale;
  });
  return matrix(data, texts.length, cols);
}

export interface SurfaceOptions extends LogisticOptions {
  /**
   * Keep n-grams found in at least this many training texts. Default 1 (all, as surface_probe.py).
   * The fit's cost grows with the columns: on the 4,080 question items of six languages (5 folds
   * grouped by entity, one core) minDf 1 (5,500 columns) took 36 s and 175 MB, minDf 5 (2,500) 25 s.
   */
  minDf?: number;
}

export interface SurfaceInput {
  text: readonly string[];
  /** 1 = positive class (e.g. known), 0 = negative. */
  label: ArrayLike<number>;
  lang: readonly string[];
}

export interface SurfaceScores {
  n: number;
  accuracy: number;
  auroc: number;
}

export interface SurfaceResult extends SurfaceScores {
  method: "surface-char-ngrams";
  /** Out-of-fold P(label 1) of every item. */
  probability: Float64Array;
  /** The same out-of-fold predictions, scored within each language (in order of first appearance). */
  languages: ({lang: string} & SurfaceScores)[];
}

/**
 * Cross-validated surface baseline on the given folds: for each fold, the vocabulary, idf and
 * logistic regression are fitted on its training rows only and score its test rows. Every row
 * must be in exactly one test fold. `options`: minDf, and fitLogistic's C and tolerance.
 *
 * @example
 * const folds = stratifiedGroupKFold(label, entity, 5, seed); // the folds the hidden-state probe uses
 * surfaceBaseline({text, label, lang}, folds).accuracy;      // what the spelling alone gets
 */
export function surfaceBaseline(input: SurfaceInput, folds: readonly Fold[], options: SurfaceOptions = {}): SurfaceResult {
  const n = input.text.length;
  if (input.label.length !== n || input.lang.length !== n) {
    throw new Error(`surfaceBaseline: ${n} texts, ${input.label.length} labels and ${input.lang.length} languages must match`);
  }
  const probability = new Float64Array(n).fill(NaN);
  folds.forEach(({train, test}, f) => {
    const texts = Array.from(train, (i) => input.text[i]);
    const tfidf = fitTfidf(texts, options.minDf);
    const model = fitLogistic(tfidfMatrix(tfidf, texts), Array.from(train, (i) => input.label[i]), options);
    const p = predictProbability(model, tfidfMatrix(tfidf, Array.from(test, (i) => input.text[i])));
    test.forEach((i, k) => {
      if (i >= n) throw new Error(`surfaceBaseline: fold ${f} tests row ${i}, but there are ${n} rows`);
      if (!Number.isNaN(probability[i])) throw new Error(`surfaceBaseline: row ${i} is in more than one test fold`);
      probability[i] = p[k];
    });
  });
  const missing = probability.findIndex(Number.isNaN);
  if (missing >= 0) throw new Error(`surfaceBaseline: row ${missing} is in no test fold`);
  const scores = (rows: number[]): SurfaceScores => {
    const p = rows.map((i) => probability[i]);
    const y = rows.map((i) => input.label[i]);
    return {n: rows.length, accuracy: accuracy(p, y), auroc: auroc(p, y)};
  };
  const byLang = new Map<string, number[]>();
  input.lang.forEach((lang, i) => {
    const rows = byLang.get(lang);
    if (rows) rows.push(i);
    else byLang.set(lang, [i]);
  });
  return {
    method: "surface-char-ngrams",
    ...scores(Array.from({length: n}, (_, i) => i)),
    probability,
    languages: [...byLang].map(([lang, rows]) => ({lang, ...scores(rows)}))
  };
}
