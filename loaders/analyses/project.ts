import {Matrix as Dense, SingularValueDecomposition} from "ml-matrix";
import {onLayersAsync} from "./layer-steps.js";
import type {Matrix} from "./matrix.js";
import {fitPca, transformPca} from "./pca.js";
import {columnMeans} from "./standardize.js";
import {
  LAYER_COORDINATES, PROJECTION_METHODS, type LayerCoordinates, type LayeredVectors, type ProjectionLayer,
  type ProjectionMethod, type ProjectionResult,
} from "./types.js";
import type {VectorRows} from "../vectors.js";
import {resolveUmapOptions, umap, type UmapOptions} from "./umap.js";

export interface ProjectOptions extends UmapOptions {
  /** Default "umap". */
  projection?: ProjectionMethod;
  /** Default "procrustes" when several layers are projected. */
  coordinates?: LayerCoordinates;
  /** Default: every layer. */
  layers?: number[];
}

/**
 * 2-D projection (PCA or UMAP) of every requested layer, for the explorer pages.
 *
 * Comparable coordinates across layers: each layer is projected on its own, then (with
 * `coordinates: "procrustes"`, the default) rotated or reflected onto the previous layer's
 * picture by orthogonal Procrustes. Why this rather than a PCA fitted on all layers stacked or a
 * UMAP initialised from the previous layer: it works the same for both methods, keeps each
 * layer's own geometry (a rotation changes no distance), costs nothing next to the projection,
 * and embedding-atlas's UMAP accepts no custom initial layout.
 *
 * @example
 * const {layers} = await project({layers, unit, lang}, {projection: "pca"});
 * layers[3].coordinates; // rows x 2, oriented like layer 2's picture
 */
export function project(input: Pick<LayeredVectors, "layers">, options: ProjectOptions = {}): Promise<ProjectionResult> {
  return onLayersAsync(projectSteps({layerCount: input.layers.length}, options), input.layers);
}

/** `project`, one layer at a time: only the projected layers are read, and of the ones before only their 2-D pictures are kept. */
export async function* projectSteps(input: Pick<VectorRows, "layerCount">, options: ProjectOptions = {}): AsyncGenerator<number, ProjectionResult, Matrix> {
  const {projection = "umap", coordinates = "procrustes", layers = Array.from({length: input.layerCount}, (_, l) => l)} = options;
  if (!PROJECTION_METHODS.includes(projection)) {
    throw new Error(`project: unknown projection "${projection}" (choose one of ${PROJECTION_METHODS.join(", ")})`);
  }
  if (!LAYER_COORDINATES.includes(coordinates)) {
    throw new Error(`project: unknown coordinates "${coordinates}" (choose one of ${LAYER_COORDINATES.join(", ")})`);
  }
  for (const layer of layers) {
    if (!Number.isInteger(layer) || layer < 0 || layer >= input.layerCount) {
      throw new Error(`project: layer ${layer} does not exist (the input has layers 0..${input.layerCount - 1})`);
    }
  }
  const umapSettings = projection === "umap" ? resolveUmapOptions(options) : null;
  const out: ProjectionLayer[] = [];
  for (const layer of layers) {
    const x = yield layer;
    let projected: ProjectionLayer;
    if (umapSettings) {
      projected = {layer, coordinates: await umap(x, umapSettings), explainedVarianceRatio: null};
    } else {
      const model = fitPca(x, 2);
      const [first, second] = model.explainedVarianceRatio;
      projected = {layer, coordinates: transformPca(model, x), explainedVarianceRatio: [first, second]};
    }
    const previous = out[out.length - 1];
    if (coordinates === "procrustes" && previous) projected.coordinates = procrustes(projected.coordinates, previous.coordinates);
    out.push(projected);
  }
  return {method: "projection", settings: {projection, coordinates, layers: [...layers], umap: umapSettings}, layers: out};
}

/**
 * `moving` rotated and/or reflected (no scaling) to best match `reference` row by row: the
 * orthogonal R minimising ||(moving - mean) R - (reference - mean')||, from the SVD
 * U S V^T of the centred cross-product, R = U V^T. The result is centred on reference's mean.
 *
 * @example
 * procrustes(matrix(Float32Array.of(0, 1, 0, -1), 2, 2), matrix(Float32Array.of(1, 0, -1, 0), 2, 2)).data
 * // ~[1, 0, -1, 0]
 */
export function procrustes(moving: Matrix, reference: Matrix): Matrix {
  return applyProcrustes(procrustesMap(moving, reference), moving);
}

/** The map `procrustes` applies, kept so that a new row can be placed in the same picture: row -> to + (row - from) R. */
export interface ProcrustesMap {
  /** Mean of the moving rows. */
  from: Float64Array;
  /** Mean of the reference rows. */
  to: Float64Array;
  /** d x d, row-major. */
  rotation: Float64Array;
}

/** The orthogonal map of `moving` onto `reference` (see `procrustes`). */
export function procrustesMap(moving: Matrix, reference: Matrix): ProcrustesMap {
  if (moving.rows !== reference.rows || moving.cols !== reference.cols) {
    throw new Error(`procrustes: shapes ${moving.rows} x ${moving.cols} and ${reference.rows} x ${reference.cols} differ`);
  }
  const d = moving.cols;
  const from = columnMeans(moving);
  const to = columnMeans(reference);
  const cross = new Dense(d, d);
  for (let i = 0; i < moving.rows; i++) {
    for (let a = 0; a < d; a++) {
      const m = moving.data[i * d + a] - from[a];
      for (let b = 0; b < d; b++) cross.set(a, b, cross.get(a, b) + m * (reference.data[i * d + b] - to[b]));
    }
  }
  const svd = new SingularValueDecomposition(cross);
  const rotation = Float64Array.from(svd.leftSingularVectors.mmul(svd.rightSingularVectors.transpose()).to1DArray());
  return {from, to, rotation};
}

/** Rows of `x` through a Procrustes map. */
export function applyProcrustes({from, to, rotation}: ProcrustesMap, x: Matrix): Matrix {
  const d = x.cols;
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.rows; i++) {
    for (let b = 0; b < d; b++) {
      let sum = to[b];
      for (let a = 0; a < d; a++) sum += (x.data[i * d + a] - from[a]) * rotation[a * d + b];
      out[i * d + b] = sum;
    }
  }
  return {data: out, rows: x.rows, cols: d};
}
