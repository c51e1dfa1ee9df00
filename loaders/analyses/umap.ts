import {normalizeRows, selectRows, type Matrix} from "./matrix.js";
import {fitPca, transformPca} from "./pca.js";
import {UMAP_METRICS, type UmapMetric, type UmapSettings} from "./types.js";

/**
 * UMAP (McInnes, Healy & Melville, 2018) of the rows of a matrix into 2 dimensions, seeded and
 * deterministic, on embedding-atlas's Rust/WASM implementation (`createUMAP`: NN-descent kNN
 * graph, spectral initialisation, SGD layout).
 *
 * Why this engine: on 20,000 x 384 points, both with their defaults, it took half the CPU
 * time of umap-js 1.4 (31.6 s vs 61.1 s, bench/analyses.ts) and about a quarter of the memory
 * (444 MB against 1.6 GB peak, docs/measurements.md), kept as many neighbourhoods, and one seed gives
 * bit-identical output. Its WASM is inlined in the package as a
 * data: URL and loads in Node 20 as in browsers (checked); only the `gpu` option needs a
 * browser's WebGPU and is not used.
 *
 * Three documented shortcuts bring 20,000 x 384 points from ~30 s (engine defaults) to ~9 s of
 * CPU, measured on this project's shared 2-core machine. They cost some quality, measured as
 * the share of each point's 15 nearest input-space neighbours that stay among its 15 nearest
 * in the layout: umap-js defaults 0.102, engine defaults 0.115, these settings 0.083 (seed 0)
 * and 0.095 (seed 1); raise `epochs` (100: 0.102) when time matters less.
 * - the rows are first reduced to `pcaDimensions` principal components (default 50) when they
 *   have more columns: neighbours in the leading components are nearly those in the full
 *   space (98% of 15-NN kept on the benchmark data), and the kNN search cost grows with the
 *   dimension. The axes are fitted on at most 5,000 evenly spaced rows (the top axes of 5,000
 *   points are those of 20,000 to within noise), then every row is projected;
 * - the layout runs 60 epochs (umap-learn uses 200 for large data) with 3 negative samples per
 *   edge (instead of 5): the layout's cost is epochs x edges x (1 + negative samples), and at
 *   equal time this mix kept more neighbourhoods than fewer epochs with 5 negatives.
 */

/** Rows the PCA step fits its axes on, at most (evenly spaced, so deterministic). */
const PCA_SAMPLE = 5000;

export interface UmapOptions {
  /** Default 0. */
  seed?: number;
  /** Neighbours of the kNN graph. Default 15. */
  neighbors?: number;
  /** Minimum distance between embedded points. Default 0.1. */
  minDist?: number;
  /** Layout epochs. Default 60. */
  epochs?: number;
  /** Negative samples per edge and epoch. Default 3. */
  negativeSampleRate?: number;
  /** Reduce to this many principal components first when the rows have more; 0 turns it off. Default 50. */
  pcaDimensions?: number;
  /** Distance of the kNN graph. Default "euclidean"; "cosine" scales rows to unit length first (see `umap`). */
  metric?: UmapMetric;
}

/** Defaults filled in and every value checked; the resolved options go into result settings. */
export function resolveUmapOptions(options: UmapOptions = {}): UmapSettings {
  const {
    seed = 0, neighbors = 15, minDist = 0.1, epochs = 60, negativeSampleRate = 3, pcaDimensions = 50, metric = "euclidean",
  } = options;
  if (!Number.isInteger(seed)) throw new Error(`umap: seed must be an integer, got ${seed}`);
  if (!Number.isInteger(neighbors) || neighbors < 2) throw new Error(`umap: neighbors must be an integer >= 2, got ${neighbors}`);
  if (!(minDist >= 0)) throw new Error(`umap: minDist must be >= 0, got ${minDist}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`umap: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(negativeSampleRate) || negativeSampleRate < 1) {
    throw new Error(`umap: negativeSampleRate must be a positive integer, got ${negativeSampleRate}`);
  }
  if (!Number.isInteger(pcaDimensions) || pcaDimensions < 0) {
    throw new Error(`umap: pcaDimensions must be a non-negative integer, got ${pcaDimensions}`);
  }
  if (!UMAP_METRICS.includes(metric)) {
    throw new Error(`umap: unknown metric "${metric}" (choose one of ${UMAP_METRICS.join(", ")})`);
  }
  return {seed, neighbors, minDist, epochs, negativeSampleRate, pcaDimensions, metric};
}

/**
 * 2-D UMAP coordinates of the rows of `x` (rows x 2).
 *
 * With metric "cosine", rows are scaled to unit length before the PCA step, so the Euclidean
 * distances it preserves are monotone in the cosine distances.
 *
 * @example
 * const coordinates = await umap(layer, {seed: 1}); // the same Float32Array on every run
 */
export async function umap(x: Matrix, options: UmapOptions = {}): Promise<Matrix> {
  const settings = resolveUmapOptions(options);
  if (x.rows <= settings.neighbors) {
    throw new Error(`umap: needs more rows than neighbors, got ${x.rows} rows and ${settings.neighbors} neighbors`);
  }
  const scaled = settings.metric === "cosine" ? normalizeRows(x) : x;
  const input = settings.pcaDimensions > 0 && scaled.cols > settings.pcaDimensions ? reduceDimensions(scaled, settings.pcaDimensions) : scaled;
  const {createUMAP} = await loadEngine();
  const engine = await createUMAP(input.rows, input.cols, 2, input.data, {
    seed: settings.seed,
    nNeighbors: settings.neighbors,
    minDist: settings.minDist,
    nEpochs: settings.epochs,
    negativeSampleRate: settings.negativeSampleRate,
    metric: "euclidean",
  });
  try {
    await engine.run();
    return {data: new Float32Array(engine.embedding), rows: x.rows, cols: 2};
  } finally {
    engine.destroy();
  }
}

/** The part of embedding-atlas's UMAP API used here (see embedding-atlas/dist/umap.d.ts). */
interface UmapEngine {
  createUMAP(
    count: number, inputDim: number, outputDim: number, data: Float32Array,
    options: {seed: number; nNeighbors: number; minDist: number; nEpochs: number; negativeSampleRate: number; metric: "euclidean"}
  ): Promise<{run(): Promise<void>; readonly embedding: Float32Array; destroy(): void}>;
}

/**
 * embedding-atlas exports the UMAP module only through its main entry, which also pulls the
 * Svelte viewer; its standalone `dist/umap.js` is loaded from next to that entry instead.
 */
async function loadEngine(): Promise<UmapEngine> {
  const entry = import.meta.resolve("embedding-atlas");
  return (await import(new URL("umap.js", entry).href)) as UmapEngine;
}

/**
 * The rows on their first k principal axes, fitted on every ceil(rows / 5000)-th row: the
 * PCA step before the kNN search.
 */
export function reduceDimensions(x: Matrix, k: number): Matrix {
  const stride = Math.ceil(x.rows / PCA_SAMPLE);
  const sample = stride > 1 ? selectRows(x, Array.from({length: Math.ceil(x.rows / stride)}, (_, i) => i * stride)) : x;
  return transformPca(fitPca(sample, k), x);
}
