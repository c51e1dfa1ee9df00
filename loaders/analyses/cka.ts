import {selectRows, type Matrix} from "./matrix.js";
import {pairWithBaseline} from "./pairs.js";
import type {CkaResult, LayeredVectors} from "./types.js";

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
  const k = centredGram(x);
  const l = centredGram(y);
  let kl = 0, kk = 0, ll = 0;
  for (let i = 0; i < k.length; i++) {
    kl += k[i] * l[i];
    kk += k[i] * k[i];
    ll += l[i] * l[i];
  }
  return kk > 0 && ll > 0 ? kl / Math.sqrt(kk * ll) : NaN;
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
  const {baseline = "eng"} = options;
  const {pairs, skipped} = pairWithBaseline(items, baseline);
  return {
    method: "linear-cka",
    settings: {baseline, layers: items.layers.map((_, l) => l)},
    languages: pairs.map((p) => ({
      lang: p.lang,
      units: p.units.length,
      cka: items.layers.map((layer) => linearCka(selectRows(layer, p.rows), selectRows(layer, p.baselineRows)))
    })),
    skipped
  };
}

/** Gram matrix (row-major n x n, float64) of `m` after subtracting each column's mean. */
function centredGram(m: Matrix): Float64Array {
  const {rows: n, cols: d} = m;
  const means = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j] += m.data[i * d + j];
  for (let j = 0; j < d; j++) means[j] /= n;
  const c = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) c[i * d + j] = m.data[i * d + j] - means[j];
  const gram = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += c[a * d + j] * c[b * d + j];
      gram[a * n + b] = sum;
      gram[b * n + a] = sum;
    }
  }
  return gram;
}
