import {center} from "./center.js";
import {dotRows, indices, normalizeRows, type Matrix} from "./matrix.js";
import {onLayers, rowsOf} from "./layer-steps.js";
import {baselineSettings, layerCheck, pairWithBaseline, type BaselineOptions, type LanguagePairs} from "./pairs.js";
import type {Centering, LayeredVectors, ParallelCosineResult, SkippedLanguage} from "./types.js";
import type {VectorRows} from "../vectors.js";

/**
 * Cosine similarity of two vectors, accumulated in float64; 0 when either is the zero vector
 * (as scikit-learn's `cosine_similarity`).
 *
 * @example
 * cosine([1, 0], [1, 1]) // 0.7071067811865475
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosine: vectors of length ${a.length} and ${b.length}`);
  let ab = 0, aa = 0, bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Cosines of every row of `a` with every row of `b`: row-major `a.rows x b.rows`. */
export function cosineMatrix(a: Matrix, b: Matrix): Float64Array {
  return crossDots(normalizeRows(a), normalizeRows(b), indices(a.rows), indices(b.rows));
}

/**
 * The layer made ready for cosines: optionally centred per language (see center.ts), then
 * rows scaled to unit length, so that a dot product of two rows is their cosine.
 */
export function unitRows(m: Matrix, lang: readonly string[], centering: Centering): Matrix {
  return normalizeRows(centering === "language" ? center(m, lang) : m);
}

/**
 * Dot products of `a`'s rows `rowsA[i]` with `b`'s rows `rowsB[j]`: row-major
 * `rowsA.length x rowsB.length`, accumulated in float64.
 */
export function crossDots(a: Matrix, b: Matrix, rowsA: ArrayLike<number>, rowsB: ArrayLike<number>): Float64Array {
  if (a.cols !== b.cols) throw new Error(`crossDots: ${a.cols} columns vs ${b.cols}`);
  return blockDots(a, b, rowsA, rowsB, false);
}

/** The Gram matrix of `m`'s rows `rows` (row-major, symmetric): half the work of `crossDots(m, m, rows, rows)`. */
export function selfDots(m: Matrix, rows: ArrayLike<number>): Float64Array {
  const n = rows.length;
  const out = blockDots(m, m, rows, rows, true);
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i];
  return out;
}

/**
 * The hot loop of retrieval, MEXA and CKA. It computes 2 x 2 blocks of outputs per pass over
 * the columns (each loaded value feeds two products: about twice the speed of one dot product
 * at a time). At an odd edge the block repeats the last row or column, which rewrites the same
 * value. With `upper`, only blocks on or above the diagonal are computed.
 */
function blockDots(a: Matrix, b: Matrix, rowsA: ArrayLike<number>, rowsB: ArrayLike<number>, upper: boolean): Float64Array {
  const na = rowsA.length, nb = rowsB.length, d = a.cols;
  const x = a.data, y = b.data;
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i += 2) {
    const i1 = Math.min(i + 1, na - 1);
    const x0 = rowsA[i] * d, x1 = rowsA[i1] * d;
    for (let j = upper ? i : 0; j < nb; j += 2) {
      const j1 = Math.min(j + 1, nb - 1);
      const y0 = rowsB[j] * d, y1 = rowsB[j1] * d;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let k = 0; k < d; k++) {
        const a0 = x[x0 + k], a1 = x[x1 + k], b0 = y[y0 + k], b1 = y[y1 + k];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      out[i * nb + j] = s00;
      out[i * nb + j1] = s01;
      out[i1 * nb + j] = s10;
      out[i1 * nb + j1] = s11;
    }
  }
  return out;
}

/** One language's pair cosines with the baseline: `values[l * units.length + k]` is layer l, unit k. */
export interface PairCosines {
  lang: string;
  units: string[];
  values: Float64Array;
}

/**
 * The cosine of every (language item, baseline item) pair of the same unit, in every layer, read
 * one layer at a time (see layer-steps.ts). Pairing and the missing-data policy are those of
 * `pairWithBaseline`.
 */
export function* pairCosineSteps(
  items: VectorRows,
  baseline: string,
  centering: Centering
): Generator<number, {languages: PairCosines[]; skipped: SkippedLanguage[]}, Matrix> {
  const {pairs, skipped} = pairWithBaseline(items, baseline);
  const check = layerCheck(items.unit.length);
  const tables = pairs.map((p) => ({lang: p.lang, units: p.units, values: new Float64Array(items.layerCount * p.units.length)}));
  for (let l = 0; l < items.layerCount; l++) {
    const layer = yield l;
    check(layer, l);
    const unit = unitRows(layer, items.lang, centering);
    pairs.forEach((p, i) => {
      const n = p.units.length;
      for (let k = 0; k < n; k++) tables[i].values[l * n + k] = dotRows(unit, p.rows[k], unit, p.baselineRows[k]);
    });
  }
  return {languages: tables, skipped};
}

/**
 * Per layer and language, the mean cosine between each item and the baseline language's item
 * of the same unit (the per-layer quantity of Language Ranker, Li et al., AAAI 2025).
 * With `centering: "language"`, each language's mean vector is removed first.
 *
 * @example
 * // eng u1 = [1, 0], fra u1 = [1, 1], one layer:
 * parallelCosine({layers: [m], unit: ["u1", "u1"], lang: ["eng", "fra"]}).languages
 * // [{lang: "fra", units: 1, meanCosine: [0.7071...]}]
 */
export function parallelCosine(items: LayeredVectors, options: BaselineOptions = {}): ParallelCosineResult {
  return onLayers(parallelCosineSteps(rowsOf(items), options), items.layers);
}

/** `parallelCosine`, one layer at a time. */
export function* parallelCosineSteps(items: VectorRows, options: BaselineOptions = {}): Generator<number, ParallelCosineResult, Matrix> {
  const settings = baselineSettings(items, options);
  const {languages, skipped} = yield* pairCosineSteps(items, settings.baseline, settings.centering);
  return {
    method: "parallel-cosine",
    settings,
    languages: languages.map((t) => ({lang: t.lang, units: t.units.length, meanCosine: layerMeans(t, items.layerCount)})),
    skipped
  };
}

/** Mean over units of each layer's pair cosines. */
export function layerMeans(table: PairCosines, layerCount: number): number[] {
  const n = table.units.length;
  return Array.from({length: layerCount}, (_, l) => {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += table.values[l * n + k];
    return sum / n;
  });
}

/**
 * For every language and layer, `measure` of the language's pair-cosine matrix with the
 * baseline: row-major n x n, entry (i, j) = cosine(language item of unit i, baseline item of
 * unit j), so the diagonal holds the translations. `values[i][l]` is language i, layer l.
 */
export function* pairCosineMatrixSteps<T>(
  items: VectorRows,
  baseline: string,
  centering: Centering,
  measure: (cosines: Float64Array, n: number) => T
): Generator<number, {pairs: LanguagePairs[]; skipped: SkippedLanguage[]; values: T[][]}, Matrix> {
  const {pairs, skipped} = pairWithBaseline(items, baseline);
  const check = layerCheck(items.unit.length);
  const values: T[][] = pairs.map(() => []);
  for (let l = 0; l < items.layerCount; l++) {
    const layer = yield l;
    check(layer, l);
    const unit = unitRows(layer, items.lang, centering);
    pairs.forEach((p, i) => values[i].push(measure(crossDots(unit, unit, p.rows, p.baselineRows), p.units.length)));
  }
  return {pairs, skipped, values};
}
