import {EigenvalueDecomposition, Matrix as Dense} from "ml-matrix";
import {cholesky, solveCholesky} from "./cholesky.js";
import {columnGram, rowGram, transposeProduct} from "./gram.js";
import {onLayers, rowsOf} from "./layer-steps.js";
import {selectRows, type Matrix} from "./matrix.js";
import {
  checkLayerRows, emptyScores, foldPlan, foldProbes, heldOutScores, languageRows, resolveProbeSettings, setScores, splitByClassCounts,
  type FoldPlan, type ProbeOptions,
} from "./probe.js";
import {columnMeans} from "./standardize.js";
import {
  ALIGNMENTS, type Alignment, type AlignmentResult, type AlignmentRow, type LabelledVectors, type SkippedLanguage,
} from "./types.js";
import type {LabelledRows} from "../vectors.js";

/*
 * Training-free alignment of one language's hidden states onto another's (as in the
 * knowledge-boundary paper, ACL 2025): a probe trained on the target language is applied to a
 * source language before and after moving the source vectors into the target's space.
 *
 * - mean shift: add mu_target - mu_source to every source vector;
 * - least squares ("linear projection"): multiply by the W minimising ||X_source W - X_target||^2
 *   over parallel rows (the same unit in both languages), the minimum-norm solution as
 *   numpy.linalg.lstsq;
 * - least squares with centring ("linear projection with center"): centre both sides on their
 *   means, fit W on the centred rows, and map x to (x - mu_source) W + mu_target.
 *
 * The paper's released code centres its training matrix in place inside the loop over test
 * languages, so only the first test language gets the target mean added back (the others are
 * mapped from an already-centred matrix). We implement the intended variant: the target mean
 * is added back for every test language.
 */

/** mu_target - mu_source: adding it to every source row moves the source mean onto the target mean. */
export function meanShift(source: Matrix, target: Matrix): Float64Array {
  if (source.cols !== target.cols) {
    throw new Error(`meanShift: source has ${source.cols} columns, target ${target.cols}`);
  }
  const mu = columnMeans(target);
  const muSource = columnMeans(source);
  return mu.map((m, j) => m - muSource[j]);
}

/** Every row plus `shift`, as a new matrix. */
function translate(x: Matrix, shift: Float64Array): Matrix {
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.rows; i++) {
    const start = i * x.cols;
    for (let j = 0; j < x.cols; j++) out[start + j] = x.data[start + j] + shift[j];
  }
  return {data: out, rows: x.rows, cols: x.cols};
}

/**
 * The W (source.cols x target.cols) minimising ||source W - target||_F, row i of source paired
 * with row i of target. Among minimisers it returns the one of least norm, like
 * numpy.linalg.lstsq: W = (X^T X)^-1 X^T Y with more rows than columns, X^T (X X^T)^-1 Y with
 * fewer. The smaller Gram matrix is solved by Cholesky; when it is singular (e.g. a repeated
 * column), by its pseudo-inverse.
 *
 * @example
 * leastSquares(matrix(new Float32Array([1, 0, 0, 2]), 2, 2), matrix(new Float32Array([3, 0, 0, 4]), 2, 2)).data
 * // Float32Array [3, 0, 0, 2]
 */
export function leastSquares(source: Matrix, target: Matrix): Matrix {
  if (source.rows !== target.rows) {
    throw new Error(`leastSquares: ${source.rows} source rows but ${target.rows} target rows (rows must be parallel)`);
  }
  if (source.rows === 0) throw new Error("leastSquares: no parallel rows to fit on");
  let w: Float64Array;
  if (source.rows >= source.cols) {
    w = solveGram(columnGram(source), source.cols, transposeProduct(source, target), target.cols);
  } else {
    const coefficients = solveGram(rowGram(source), source.rows, Float64Array.from(target.data), target.cols);
    w = transposeProduct(source, {data: coefficients, rows: source.rows, cols: target.cols});
  }
  return {data: Float32Array.from(w), rows: source.cols, cols: target.cols};
}

/** x W as a new matrix (float64 accumulation). */
export function multiply(x: Matrix, w: Matrix): Matrix {
  if (x.cols !== w.rows) throw new Error(`multiply: ${x.rows} x ${x.cols} times ${w.rows} x ${w.cols}`);
  const out = new Float32Array(x.rows * w.cols);
  const sum = new Float64Array(w.cols);
  for (let i = 0; i < x.rows; i++) {
    sum.fill(0);
    for (let k = 0; k < x.cols; k++) {
      const xik = x.data[i * x.cols + k];
      const start = k * w.cols;
      for (let j = 0; j < w.cols; j++) sum[j] += xik * w.data[start + j];
    }
    out.set(sum, i * w.cols);
  }
  return {data: out, rows: x.rows, cols: w.cols};
}

/** Fits an alignment on parallel rows and returns the map it applies to other source rows. */
export function fitAlignment(method: Alignment, source: Matrix, target: Matrix): (x: Matrix) => Matrix {
  switch (method) {
    case "mean-shift": {
      const shift = meanShift(source, target);
      return (x) => translate(x, shift);
    }
    case "least-squares": {
      const w = leastSquares(source, target);
      return (x) => multiply(x, w);
    }
    case "least-squares-centered": {
      const muSource = columnMeans(source);
      const muTarget = columnMeans(target);
      const w = leastSquares(translate(source, muSource.map((m) => -m)), translate(target, muTarget.map((m) => -m)));
      return (x) => translate(multiply(translate(x, muSource.map((m) => -m)), w), muTarget);
    }
    default:
      throw new Error(`fitAlignment: unknown alignment "${method as string}" (choose one of ${ALIGNMENTS.join(", ")})`);
  }
}

export interface AlignmentOptions extends ProbeOptions {
  /** Language the probe is trained on and the others are moved onto (e.g. `eng`). */
  target: string;
  /** Default: every alignment. */
  alignments?: Alignment[];
}

/**
 * For each source language and layer, the accuracy and AUROC of a target-language probe on the
 * source rows, before and after each alignment: the row of the transfer heatmaps trained on
 * the target, restricted to the source rows whose unit the target also has. Everything is
 * fitted on training folds only (the shared unit folds of protocol.ts): in fold f the probe is
 * trained on the target's training-fold rows, the alignment on the training-fold units' pairs,
 * and both score the source's fold-f rows. So "before" and "after" are measured on the same
 * rows and no test unit is seen by the probe or the map.
 *
 * @example
 * alignedTransfer(input, {target: "eng", layers: [6]}).languages[0].after["mean-shift"]?.accuracy[0];
 */
export function alignedTransfer(input: LabelledVectors, options: AlignmentOptions): AlignmentResult {
  return onLayers(alignedTransferSteps(rowsOf(input), options), input.layers);
}

/** `alignedTransfer`, one layer at a time: only the probed layers are read. */
export function* alignedTransferSteps(input: LabelledRows, options: AlignmentOptions): Generator<number, AlignmentResult, Matrix> {
  const settings = resolveProbeSettings(input, options, "alignedTransfer");
  const {target} = options;
  const alignments = checkAlignments(options.alignments ?? [...ALIGNMENTS], "alignedTransfer");
  const plan = foldPlan(input, settings, options.groups, "alignedTransfer");
  const groups = languageRows(input);
  if (!groups.has(target)) {
    throw new Error(`alignedTransfer: target language "${target}" has no rows (languages: ${[...groups.keys()].join(", ")})`);
  }
  const targetRows = groups.get(target)!;
  const targetCheck = splitByClassCounts(new Map([[target, targetRows]]), input.label, plan);
  if (targetCheck.skipped.length > 0) {
    throw new Error(`alignedTransfer: target language "${target}" ${targetCheck.skipped[0].reason}`);
  }
  const sources: {lang: string; pairs: ParallelRows}[] = [];
  const skipped: SkippedLanguage[] = [];
  for (const [lang, indices] of groups) {
    if (lang === target) continue;
    const pairs = parallelRows(input.unit, indices, targetRows);
    const check = splitByClassCounts(new Map([[lang, pairs.source]]), input.label, plan);
    if (check.skipped.length > 0) skipped.push({lang, reason: `units shared with ${target}: ${check.skipped[0].reason}`});
    else sources.push({lang, pairs});
  }
  const rows: AlignmentRow[] = sources.map(({lang, pairs}) => ({
    lang,
    units: pairs.source.length,
    before: emptyScores(settings.layers.length),
    after: Object.fromEntries(alignments.map((method) => [method, emptyScores(settings.layers.length)])),
  }));
  for (const [k, layer] of settings.layers.entries()) {
    const x = yield layer;
    checkLayerRows(x, layer, input.label.length, "alignedTransfer");
    const probes = foldProbes(x, input.label, targetRows, plan, settings);
    sources.forEach(({pairs}, r) => {
      setScores(rows[r].before, k, heldOutScores(probes, x, input.label, pairs.source, plan, settings.confidence));
      for (const method of alignments) {
        const transform = foldAlignment(method, x, pairs, plan);
        setScores(rows[r].after[method]!, k, heldOutScores(probes, x, input.label, pairs.source, plan, settings.confidence, transform));
      }
    });
  }
  return {method: "probe-alignment", settings: {...settings, target, alignments}, languages: rows, skipped};
}

/** Rows of the same units in two languages: source[k] and target[k] are translations. */
export interface ParallelRows {
  source: number[];
  target: number[];
}

/** The rows of `sourceRows` whose unit also has a row in `targetRows`, paired with it. */
export function parallelRows(unit: readonly string[], sourceRows: readonly number[], targetRows: readonly number[]): ParallelRows {
  const targetOfUnit = new Map(targetRows.map((i) => [unit[i], i]));
  const source = sourceRows.filter((i) => targetOfUnit.has(unit[i]));
  return {source, target: source.map((i) => targetOfUnit.get(unit[i])!)};
}

/**
 * The transform of held-out rows in fold f: `method` fitted on the pairs whose unit is outside
 * fold f (each fold's fit made once, when first needed), applied to the rows.
 */
export function foldAlignment(method: Alignment, x: Matrix, pairs: ParallelRows, plan: FoldPlan): (f: number, rows: Matrix) => Matrix {
  const fitted = new Map<number, (rows: Matrix) => Matrix>();
  return (f, rows) => {
    if (!fitted.has(f)) {
      // A pair's fold is its unit's: that of its source row (and of its target row).
      const train = pairs.source.flatMap((i, k) => (plan.foldOfRow[i] === f ? [] : [k]));
      const source = selectRows(x, train.map((k) => pairs.source[k]));
      const target = selectRows(x, train.map((k) => pairs.target[k]));
      fitted.set(f, fitAlignment(method, source, target));
    }
    return fitted.get(f)!(rows);
  };
}

/** Alignments checked against ALIGNMENTS, as a new array. */
export function checkAlignments(alignments: readonly Alignment[], caller: string): Alignment[] {
  for (const method of alignments) {
    if (!ALIGNMENTS.includes(method)) {
      throw new Error(`${caller}: unknown alignment "${method}" (choose one of ${ALIGNMENTS.join(", ")})`);
    }
  }
  return [...alignments];
}

/**
 * G^+ B for a symmetric positive semi-definite n x n Gram matrix G and n x m right-hand sides
 * B (overwritten): Cholesky when G is clearly non-singular, else the pseudo-inverse from its
 * eigendecomposition, dropping eigenvalues below n x machine epsilon x the largest.
 */
function solveGram(gram: Float64Array, n: number, rhs: Float64Array, m: number): Float64Array {
  const lower = cholesky(gram, n);
  if (lower) return solveCholesky(lower, n, rhs, m);
  const {realEigenvalues: values, eigenvectorMatrix: vectors} = new EigenvalueDecomposition(
    Dense.from1DArray(n, n, gram), {assumeSymmetric: true}
  );
  const cutoff = Math.max(...values) * n * Number.EPSILON;
  // V diag(1/lambda) V^T B, skipping the dropped directions.
  const projected = vectors.transpose().mmul(Dense.from1DArray(n, m, rhs));
  values.forEach((v, i) => projected.mulRow(i, v > cutoff ? 1 / v : 0));
  return Float64Array.from(vectors.mmul(projected).to1DArray());
}
