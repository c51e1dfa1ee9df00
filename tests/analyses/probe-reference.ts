// Loads the probe and projection reference fixtures written by make_probe_reference.py.
import {readFileSync} from "node:fs";
import type {Matrix} from "../../loaders/analyses/matrix.js";

/** A matrix as the reference script writes it (row-major numbers). */
export interface MatrixJson {
  rows: number;
  cols: number;
  data: number[];
}

/** Reads tests/fixtures/analyses/<name>, written by make_probe_reference.py. */
export function probeReference<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/analyses/${name}`, import.meta.url), "utf8")) as T;
}

export function toMatrix(m: MatrixJson): Matrix {
  return {data: Float32Array.from(m.data), rows: m.rows, cols: m.cols};
}

/** Largest absolute elementwise difference. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxDifference: lengths ${a.length} and ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
