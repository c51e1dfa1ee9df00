/**
 * Probes and projections at full scale, on seeded synthetic vectors:
 * - projection of 20,000 x 384 points: Babelscope's UMAP (embedding-atlas WASM after PCA to 50
 *   dimensions, 60 epochs, 3 negative samples) against umap-js 1.4 with its defaults, in the same run (ratio
 *   printed; the target is <= 10 s), plus embedding-atlas on the raw 384 dimensions to separate
 *   the engine's speed from the two shortcuts, and how many input-space neighbours each layout keeps;
 * - knowledge-boundary probes for 13 layers x 12 languages x 400 items x 384 dimensions, 5 folds.
 *
 * Wall and CPU time are both printed: on a shared 2-core machine the CPU time is the steadier.
 * `npx tsx bench/analyses.ts [--points 20000] [--layers 13] [--skip-umap-js]`
 */
import {parseArgs} from "node:util";
import {UMAP} from "umap-js";
import {alignedTransfer} from "../loaders/analyses/align.js";
import {matrix, type Matrix} from "../loaders/analyses/matrix.js";
import {probe} from "../loaders/analyses/probe.js";
import {mulberry32} from "../loaders/random.js";
import {transfer} from "../loaders/analyses/transfer.js";
import type {LabelledVectors} from "../loaders/analyses/types.js";
import {reduceDimensions, umap} from "../loaders/analyses/umap.js";
import {report, timed, type Timing} from "./report.js";

const DIMS = 384;
const LANGUAGES = 12;
const ITEMS = 400;
const FOLDS = 5;
/** Cluster count: 12 languages x 2 labels, as in a probe dataset. */
const CLUSTERS = 24;

function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Points like hidden states: low-rank structure plus a little noise. Row i lies in cluster
 * i % 24; the clusters' centres and the spread within them live in a 64-dimensional subspace
 * with a decaying spectrum, mapped into 384 dimensions, and the centres are close enough for
 * the clusters to touch, so neither the kNN nor the layout is trivial.
 */
function clusteredPoints(points: number): Matrix {
  const normal = gaussian(1);
  const latent = 64;
  const basis = Float32Array.from({length: latent * DIMS}, () => normal() / Math.sqrt(latent));
  const spread = Float64Array.from({length: latent}, (_, j) => Math.exp(-j / 16));
  const centres = Array.from({length: CLUSTERS}, () => Float64Array.from({length: latent}, () => normal() * 0.3));
  const data = new Float32Array(points * DIMS);
  const z = new Float64Array(latent);
  for (let i = 0; i < points; i++) {
    const centre = centres[i % CLUSTERS];
    for (let k = 0; k < latent; k++) z[k] = centre[k] + spread[k] * normal();
    for (let j = 0; j < DIMS; j++) data[i * DIMS + j] = normal() * 0.05;
    for (let k = 0; k < latent; k++) {
      const start = k * DIMS;
      for (let j = 0; j < DIMS; j++) data[i * DIMS + j] += z[k] * basis[start + j];
    }
  }
  return matrix(data, points, DIMS);
}

/**
 * Probe input: a language offset per language, and a known/unknown signal along 8 dimensions
 * whose strength rises to the middle layers and falls again (the shape the paper reports).
 */
function probeInput(layers: number): LabelledVectors {
  const normal = gaussian(2);
  const n = LANGUAGES * ITEMS;
  const lang = Array.from({length: n}, (_, i) => `l${Math.floor(i / ITEMS)}`);
  const unit = Array.from({length: n}, (_, i) => `u${i % ITEMS}`);
  const label = Uint8Array.from({length: n}, (_, i) => (i % ITEMS) % 2);
  const offsets = Array.from({length: LANGUAGES}, () => Float32Array.from({length: DIMS}, () => normal()));
  const matrices = Array.from({length: layers}, (_, l) => {
    const strength = 1.2 * Math.sin((Math.PI * (l + 0.5)) / layers);
    const data = new Float32Array(n * DIMS);
    for (let i = 0; i < n; i++) {
      const offset = offsets[Math.floor(i / ITEMS)];
      for (let j = 0; j < DIMS; j++) data[i * DIMS + j] = normal() + offset[j] + (j < 8 ? (label[i] - 0.5) * strength : 0);
    }
    return matrix(data, n, DIMS);
  });
  return {layers: matrices, unit, lang, label};
}

function seconds(t: Timing<unknown>): string {
  return `${t.wall.toFixed(1)} s wall, ${t.cpu.toFixed(1)} s CPU`;
}

/**
 * Mean share of each sampled point's 15 nearest neighbours in the 384-dimensional input that
 * are also among its 15 nearest in the 2-D layout (1 = every neighbourhood kept).
 */
function neighboursKept(x: Matrix, layout: Matrix, samples: number[]): number {
  let kept = 0;
  for (const i of samples) {
    const exact = new Set(nearestRows(x, x.data.subarray(i * x.cols, (i + 1) * x.cols), 16));
    const shown = nearestRows(layout, layout.data.subarray(i * 2, i * 2 + 2), 16);
    kept += (shown.filter((j) => exact.has(j)).length - 1) / 15;
  }
  return kept / samples.length;
}

/** Indices of the k rows nearest to `query` (squared Euclidean, brute force). */
function nearestRows(m: Matrix, query: ArrayLike<number>, k: number): number[] {
  const distances = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let sum = 0;
    for (let j = 0; j < m.cols; j++) sum += (m.data[r * m.cols + j] - query[j]) ** 2;
    distances[r] = sum;
  }
  return Array.from(distances.keys()).sort((a, b) => distances[a] - distances[b]).slice(0, k);
}

/** Mean share of each sampled point's 15 nearest neighbours in x also among its 15 nearest in `reduced`. */
function neighbourRecall(x: Matrix, reduced: Matrix, samples: number[]): number {
  let recall = 0;
  for (const i of samples) {
    const exact = new Set(nearestRows(x, x.data.subarray(i * x.cols, (i + 1) * x.cols), 16));
    const approximate = nearestRows(reduced, reduced.data.subarray(i * reduced.cols, (i + 1) * reduced.cols), 16);
    recall += (approximate.filter((j) => exact.has(j)).length - 1) / 15;
  }
  return recall / samples.length;
}

async function embeddingAtlasRaw(x: Matrix): Promise<Matrix> {
  // The engine with its own defaults (umap-learn's epoch rule) on all 384 dimensions.
  const engine = await import(new URL("umap.js", import.meta.resolve("embedding-atlas")).href);
  const layout = await engine.createUMAP(x.rows, x.cols, 2, x.data, {seed: 0});
  await layout.run();
  const out = matrix(new Float32Array(layout.embedding), x.rows, 2);
  layout.destroy();
  return out;
}

async function umapJs(x: Matrix): Promise<Matrix> {
  const rows = Array.from({length: x.rows}, (_, i) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)));
  const layout = await new UMAP({nComponents: 2, nNeighbors: 15, minDist: 0.1, random: mulberry32(0)}).fitAsync(rows);
  return matrix(Float32Array.from(layout.flat()), x.rows, 2);
}

async function projections(points: number, skipUmapJs: boolean): Promise<void> {
  const x = clusteredPoints(points);
  // 300 evenly spread sample points for the quality measures (brute-force neighbours).
  const samples = Array.from({length: 300}, (_, s) => Math.floor((s * points) / 300));
  const reduced = await timed(() => reduceDimensions(x, 50));
  const ours = await timed(() => umap(x, {seed: 0}));
  const raw = await timed(() => embeddingAtlasRaw(x));
  const reference = skipUmapJs ? null : await timed(() => umapJs(x));
  const kept = (t: Timing<Matrix>) => `15-NN kept ${neighboursKept(x, t.value, samples).toFixed(3)}`;
  const rows: [string, string][] = [
    ["PCA to 50 dimensions (inside umap())", seconds(reduced)],
    ["15-NN recall after PCA-50", neighbourRecall(x, reduced.value, samples).toFixed(3)],
    ["Babelscope umap() (PCA-50, 60 epochs, 3 negatives)", `${seconds(ours)}; ${kept(ours)}`],
    ["embedding-atlas, 384 dims, defaults", `${seconds(raw)}; ${kept(raw)}`],
  ];
  if (reference) {
    rows.push(["umap-js 1.4, 384 dims, defaults", `${seconds(reference)}; ${kept(reference)}`]);
    rows.push(["umap-js / Babelscope (wall)", `${(reference.wall / ours.wall).toFixed(1)}x`]);
  }
  rows.push(["peak resident memory (whole run)", `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`]);
  report(`UMAP of ${points.toLocaleString("en")} x ${DIMS} points (target: Babelscope <= 10 s)`, rows);
}

async function probes(layers: number): Promise<void> {
  const input = probeInput(layers);
  const probed = await timed(() => probe(input, {folds: FOLDS}));
  const transferred = await timed(() => transfer(input, {folds: FOLDS}));
  const middle = Math.floor(layers / 2);
  const aligned = await timed(() => alignedTransfer(input, {target: "l0", folds: FOLDS, layers: [middle]}));
  const pooled = probed.value.pooled.accuracy;
  report(`Probes: ${layers} layers x ${LANGUAGES} languages x ${ITEMS} items x ${DIMS} dims, ${FOLDS} folds`, [
    ["probe() (within-language + pooled)", `${seconds(probed)}; ${(probed.wall / layers).toFixed(2)} s per layer`],
    ["pooled accuracy by layer", pooled.map((a) => a.toFixed(2)).join(" ")],
    ["transfer() (12 x 12 matrix per layer)", `${seconds(transferred)}; ${(transferred.wall / layers).toFixed(2)} s per layer`],
    ["alignedTransfer() (11 languages, 1 layer)", seconds(aligned)],
  ]);
}

export async function main(argv: string[] = []): Promise<void> {
  const {values} = parseArgs({
    args: argv,
    options: {points: {type: "string", default: "20000"}, layers: {type: "string", default: "13"}, "skip-umap-js": {type: "boolean", default: false}},
  });
  await projections(Number(values.points), values["skip-umap-js"]);
  await probes(Number(values.layers));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
