import {pairCosineMatrixSteps} from "./cosine.js";
import {onLayers, rowsOf} from "./layer-steps.js";
import {baselineSettings, type BaselineOptions} from "./pairs.js";
import type {LayeredVectors, RetrievalResult} from "./types.js";
import type {Matrix, VectorRows} from "../vectors.js";

/**
 * Translation retrieval accuracy per layer, as in bitext mining. For a language X and the
 * baseline B, the candidates are the items of the n units both languages have. X -> B: the
 * fraction of X's items whose most cosine-similar B item is their own translation; B -> X the
 * other way round. A hit needs a strictly higher cosine than every other candidate (an exact
 * tie counts as a miss, so degenerate vectors never score). Chance is 1 / n; with n < 2 there
 * is nothing to retrieve from and the accuracy is NaN. Missing data: see `pairWithBaseline`.
 *
 * @example
 * // eng u1 = [1, 0], u2 = [0, 1]; fra u1 = [1, 0.2], u2 = [0.9, 1]: fra u2 is closer to eng u2
 * retrieval(items).languages // [{lang: "fra", units: 2, chance: 0.5, toBaseline: [1], fromBaseline: [1]}]
 */
export function retrieval(items: LayeredVectors, options: BaselineOptions = {}): RetrievalResult {
  return onLayers(retrievalSteps(rowsOf(items), options), items.layers);
}

/** `retrieval`, one layer at a time. */
export function* retrievalSteps(items: VectorRows, options: BaselineOptions = {}): Generator<number, RetrievalResult, Matrix> {
  const settings = baselineSettings(items, options);
  const {pairs, skipped, values} = yield* pairCosineMatrixSteps(items, settings.baseline, settings.centering, diagonalWins);
  return {
    method: "retrieval",
    settings,
    languages: pairs.map((p, i) => {
      const n = p.units.length;
      const accuracy = (wins: Uint8Array) => (n < 2 ? NaN : count(wins) / n);
      return {
        lang: p.lang,
        units: n,
        chance: 1 / n,
        toBaseline: values[i].map((w) => accuracy(w.row)),
        fromBaseline: values[i].map((w) => accuracy(w.column))
      };
    }),
    skipped
  };
}

/**
 * For a row-major n x n similarity matrix: `row[i]` = 1 when entry (i, i) is strictly greater
 * than every other entry of row i, `column[i]` the same for column i.
 */
export function diagonalWins(s: Float64Array, n: number): {row: Uint8Array; column: Uint8Array} {
  const row = new Uint8Array(n).fill(1);
  const column = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      // Entry (i, j) competes with the diagonal of its row (i, i) and of its column (j, j).
      if (s[i * n + j] >= s[i * n + i]) row[i] = 0;
      if (s[i * n + j] >= s[j * n + j]) column[j] = 0;
    }
  }
  return {row, column};
}

function count(flags: Uint8Array): number {
  let c = 0;
  for (const f of flags) c += f;
  return c;
}
