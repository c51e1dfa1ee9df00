import {selfDots} from "./cosine.js";
import {indices, selectRows, type Matrix} from "./matrix.js";
import {onLayers, rowsOf} from "./layer-steps.js";
import {layerCheck, pairWithBaseline} from "./pairs.js";
import type {CkaResult, LayeredVectors} from "./types.js";
import type {VectorRows} from "../vectors.js";

/**
 * Linear CKA (centered kernel alignment, Kornblith et al. 2019, "Similarity of Neural Network
 * Representations Revisited") of two representations of the same n items (row i of `x` and of
 * `y` describe item i; widths may differ). With column-centred X and Y and Gram matrices
 * K = X X^T, L = Y Y^T:
 *
 *   CKA = <K, L>_F / (||K||_F ||L||_F)  (= ||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F))
 *
 * 1 for representations equal up to rotation and isotropic scaling, near 0 for unrelated ones.
 * The Gram form costs n^2 d, cheap when there are fewer items than dimensions. NaN when either
 * centred representation is all zeros (e.g. n < 2).
 *
 * @example
 * linearCka(fromRows([[1, 0], [0, 1], [1, 1]]), fromRows([[0, 2], [-2, 0], [-2, 2]])) // 1 (a rotation, scaled)
 */
export function linearCka(x: Matrix, y: Matrix): number {
  if (x.rows !== y.rows) throw new Error(`linearCka: ${x.rows} rows vs ${y.rows}; rows must be the same items`);
  return gramAlignment(centredGram(x, indices(x.rows)), centredGram(y, indices(y.rows)));
}

/**
 * Linear CKA per layer between each language and the baseline, over the units both have.
 * There is no centering option: CKA centres each representation itself, so subtracting a
 * language's mean would not change it. Missing data: see `pairWithBaseline`.
 *
 * @example
 * cka(items, {baseline: "eng"}).languages // [{lang: "fra", units: 60, cka: [0.41, 0.55, ...]}, ...]
 */
export function cka(items: LayeredVectors, options: {baseline?: string} = {}): CkaResult {
  return onLayers(ckaSteps(rowsOf(items), options), items.layers);
}

/** `cka`, one layer at a time. */
export function* ckaSteps(items: VectorRows, options: {baseline?: string} = {}): Generator<number, CkaResult, Matrix> {
  const {baseline = "eng"} = options;
  const {pairs, skipped} = pairWithBaseline(items, baseline);
  const check = layerCheck(items.unit.length);
  const values: number[][] = pairs.map(() => []);
  for (let l = 0; l < items.layerCount; l++) {
    const layer = yield l;
    check(layer, l);
    // Languages that share the same baseline units (usually all of them) share its Gram matrix.
    const baselineGrams = new Map<string, Float64Array>();
    pairs.forEach((p, i) => {
      const key = p.baselineRows.join(",");
      let gram = baselineGrams.get(key);
      if (!gram) baselineGrams.set(key, (gram = centredGram(layer, p.baselineRows)));
      values[i].push(gramAlignment(centredGram(layer, p.rows), gram));
    });
  }
  return {
    method: "linear-cka",
    settings: {baseline, layers: Array.from({length: items.layerCount}, (_, l) => l)},
    languages: pairs.map((p, i) => ({lang: p.lang, units: p.units.length, cka: values[i]})),
    skipped
  };
}

/** <K, L>_F / (||K||_F ||L||_F) of two Gram matrices; NaN if either is zero. */
function gramAlignment(k: Float64Array, l: Float64Array): number {
  let kl = 0, kk = 0, ll = 0;
  for (let i = 0; i < k.length; i++) {
    kl += k[i] * l[i];
    kk += k[i] * k[i];
    ll += l[i] * l[i];
  }
  return kk > 0 && ll > 0 ? kl / Math.sqrt(kk * ll) : NaN;
}

/** Gram matrix (row-major n x n) of the rows `rows` of `m` after subtracting each column's mean over them. */
function centredGram(m: Matrix, rows: ArrayLike<number>): Float64Array {
  const c = selectRows(m, rows);
  const {rows: n, cols: d} = c;
  const means = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j] += c.data[i * d + j];
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) c.data[i * d + j] -= means[j] / n;
  return selfDots(c, indices(n));
}
