import {pairCosineMatrixSteps} from "./cosine.js";
import {onLayers, rowsOf} from "./layer-steps.js";
import {baselineSettings, type BaselineOptions} from "./pairs.js";
import {diagonalWins} from "./retrieval.js";
import type {LayeredVectors, MexaResult} from "./types.js";
import type {Matrix, VectorRows} from "../vectors.js";

/**
 * MEXA alignment score per layer (Kargaran et al. 2024, "MEXA: Multilingual Evaluation of
 * English-Centric LLMs via Cross-Lingual Alignment"). For a language X and the baseline B with
 * n shared units, let C be the n x n cosine matrix, C[i][j] = cos(x_i, b_j). Then
 *
 *   MEXA(X, B) = (1 / n) * #{ i : C[i][i] > C[i][j] and C[i][i] > C[j][i] for every j != i }
 *
 * i.e. the fraction of units whose parallel pair is strictly more similar than every
 * non-parallel pair that shares one of its two items (its row and its column), which makes it
 * the per-unit AND of the two retrieval directions. The paper takes the pivot's first n
 * sentences; here n is every unit both languages have. NaN when n < 2 (no non-parallel pair).
 * Missing data: see `pairWithBaseline`.
 *
 * @example
 * // eng u1 = [1, 0], u2 = [0, 1]; fra u1 = [1, 0.2], u2 = [0.9, 1]
 * mexa(items).languages // [{lang: "fra", units: 2, score: [1]}]
 */
export function mexa(items: LayeredVectors, options: BaselineOptions = {}): MexaResult {
  return onLayers(mexaSteps(rowsOf(items), options), items.layers);
}

/** `mexa`, one layer at a time. */
export function* mexaSteps(items: VectorRows, options: BaselineOptions = {}): Generator<number, MexaResult, Matrix> {
  const settings = baselineSettings(items, options);
  const {pairs, skipped, values} = yield* pairCosineMatrixSteps(items, settings.baseline, settings.centering, mexaScore);
  return {
    method: "mexa",
    settings,
    languages: pairs.map((p, i) => ({lang: p.lang, units: p.units.length, score: values[i]})),
    skipped
  };
}

/** The MEXA score of one row-major n x n cosine matrix (parallel pairs on the diagonal). */
export function mexaScore(cosines: Float64Array, n: number): number {
  if (n < 2) return NaN;
  const {row, column} = diagonalWins(cosines, n);
  let hits = 0;
  for (let i = 0; i < n; i++) hits += row[i] & column[i];
  return hits / n;
}
