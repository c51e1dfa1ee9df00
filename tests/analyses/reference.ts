// Loads the reference fixtures written by tests/fixtures/analyses/make_reference.py.
import {readFileSync} from "node:fs";
import {matrix} from "../../loaders/analyses/matrix.js";
import type {LayeredVectors} from "../../loaders/analyses/types.js";

const dir = new URL("../fixtures/analyses/", import.meta.url);

export function reference<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, dir), "utf8"));
}

/** JSON has no NaN: Python's None (an undefined measure) arrives as null. */
export function nanFromNull(values: (number | null)[]): number[] {
  return values.map((v) => (v === null ? NaN : v));
}

/** The parallel dataset of parallel.json as the analyses' input. */
export function parallelItems(): LayeredVectors {
  const p = reference("parallel.json");
  return {
    layers: p.layers.map((flat: number[]) => matrix(Float32Array.from(flat), p.unit.length, p.dims)),
    unit: p.unit,
    lang: p.lang
  };
}

/** Element-wise closeness with NaN equal to NaN (vitest's toBeCloseTo treats NaN as unequal). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : Math.abs(a - e) <= tolerance;
    if (!ok) throw new Error(`index ${i}: got ${a}, expected ${e} (tolerance ${tolerance})`);
  }
}
