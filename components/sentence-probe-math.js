// The arithmetic of the explorer's sentence probe, pure and unit-tested: pooling one sentence's
// tokens, its place in a layer's PCA picture (the same map that made the picture) and in a UMAP
// picture (from its nearest stored items), and its nearest item in each language.

/** Items whose 2-D positions place a new vector in a UMAP picture (see `neighbourPosition`). */
export const PLACEMENT_NEIGHBOURS = 10;

/**
 * Per-token weights of one sentence of `length` tokens, as the store's extraction pools
 * (loaders/extract/pool.ts, one row): mean 1 / length each, last or first token 1.
 * @param {number} length
 * @param {"mean" | "last" | "first"} pooling
 */
export function sentenceWeights(length, pooling) {
  if (!(Number.isInteger(length) && length >= 1)) throw new Error(`a sentence needs at least one token, got ${length}`);
  const weights = new Float32Array(length);
  if (pooling === "mean") weights.fill(1 / length);
  else if (pooling === "last") weights[length - 1] = 1;
  else if (pooling === "first") weights[0] = 1;
  else throw new Error(`unknown pooling "${pooling}"`);
  return weights;
}

/**
 * A vector's position in a layer's PCA picture: p = (v - mean) C^T on the layer's two axes, then,
 * for every layer but the first, the Procrustes map onto the previous picture, to + (p - from) R.
 * @param {ArrayLike<number>} vector
 * @param {import("../loaders/report/sentence-probe.js").PcaPlacement} placement
 * @returns {[number, number]}
 */
export function pcaPosition(vector, {mean, components, procrustes}) {
  const hidden = mean.length;
  if (vector.length !== hidden || components.length !== 2 * hidden) throw new Error(`a ${vector.length}-dimensional vector in a ${hidden}-dimensional layer`);
  const p = [0, 0];
  for (let c = 0; c < 2; c++) for (let j = 0; j < hidden; j++) p[c] += (vector[j] - mean[j]) * components[c * hidden + j];
  if (!procrustes) return /** @type {[number, number]} */ (p);
  const {from, to, rotation} = procrustes;
  return /** @type {[number, number]} */ ([0, 1].map((b) => to[b] + (p[0] - from[0]) * rotation[b] + (p[1] - from[1]) * rotation[2 + b]));
}

/**
 * Cosine of a vector with every row of `rows` (row-major, `vector.length` columns); 0 against a zero row.
 * @param {ArrayLike<number>} vector
 * @param {Float32Array} rows
 */
export function cosines(vector, rows) {
  const hidden = vector.length;
  const n = rows.length / hidden;
  let norm = 0;
  for (let j = 0; j < hidden; j++) norm += vector[j] * vector[j];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0, other = 0;
    for (let j = 0; j < hidden; j++) {
      const v = rows[i * hidden + j];
      dot += vector[j] * v;
      other += v * v;
    }
    out[i] = norm > 0 && other > 0 ? dot / Math.sqrt(norm * other) : 0;
  }
  return out;
}

/**
 * The most similar item of each language, most similar language first (ties: the earlier item).
 * @param {Float64Array} similarity one value per item
 * @param {readonly string[]} langs the language of each item
 * @returns {{lang: string, index: number, cosine: number}[]}
 */
export function nearestByLanguage(similarity, langs) {
  const best = new Map();
  for (let i = 0; i < similarity.length; i++) {
    const current = best.get(langs[i]);
    if (current === undefined || similarity[i] > similarity[current]) best.set(langs[i], i);
  }
  return [...best].map(([lang, index]) => ({lang, index, cosine: similarity[index]})).sort((a, b) => b.cosine - a.cosine || a.index - b.index);
}

/**
 * A new vector's place in a picture it was not fitted with (UMAP has no transform for new points):
 * the mean of the 2-D positions of its k most similar items, each weighted by its cosine (those
 * at or below 0 get no weight; equal weights when none is above 0).
 * @param {Float64Array} similarity one value per item
 * @param {ArrayLike<number>} x
 * @param {ArrayLike<number>} y
 * @param {number} [k]
 * @returns {{position: [number, number], neighbours: number[]}}
 */
export function neighbourPosition(similarity, x, y, k = PLACEMENT_NEIGHBOURS) {
  const order = Array.from(similarity, (_, i) => i).sort((a, b) => similarity[b] - similarity[a] || a - b);
  const neighbours = order.slice(0, Math.min(k, order.length));
  if (!neighbours.length) throw new Error("no items to place the sentence among");
  const weights = neighbours.map((i) => Math.max(similarity[i], 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const w = total > 0 ? weights.map((v) => v / total) : weights.map(() => 1 / neighbours.length);
  const position = /** @type {[number, number]} */ ([0, 0]);
  neighbours.forEach((i, n) => {
    position[0] += w[n] * x[i];
    position[1] += w[n] * y[i];
  });
  return {position, neighbours};
}
