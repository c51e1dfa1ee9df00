/**
 * Analyses that read hidden states one layer at a time. Each is a generator that yields the
 * number of the layer it needs next and is resumed with that layer, so one body of code runs on
 * layers in memory (`onLayers`) and on a store read layer by layer (`streamAll`), where no
 * more than the layer in hand is held: a 24-layer store of a 896-dimensional model on 10,000
 * items is 0.86 GB, and no analysis needs two of its layers at once.
 *
 * @example
 * const steps = parallelCosineSteps(rowsOf(items), {baseline: "eng"});
 * onLayers(steps, items.layers);                        // layers in memory
 * await streamAll({none: steps, language: other}, layerSource(store)); // a store, each layer file read once
 */
import {selectRows} from "./matrix.js";
import type {LayeredVectors, LayerSource, Matrix, VectorRows} from "../vectors.js";

/** An analysis waiting for layers: it yields a layer number, is resumed with that layer, and returns its result. */
export type LayerSteps<R> = Generator<number, R, Matrix> | AsyncGenerator<number, R, Matrix>;

/** The rows of layers in memory, as the step functions take them. */
export function rowsOf<T extends LayeredVectors>(items: T): T & VectorRows {
  return {...items, layerCount: items.layers.length};
}

/** Runs synchronous steps on layers in memory. */
export function onLayers<R>(steps: Generator<number, R, Matrix>, layers: readonly Matrix[]): R {
  for (let next = steps.next(); ; next = steps.next(at(layers, next.value))) if (next.done) return next.value;
}

/** Runs (possibly asynchronous) steps on layers in memory. */
export function onLayersAsync<R>(steps: LayerSteps<R>, layers: readonly Matrix[]): Promise<R> {
  return streamAll(steps, memoryLayers(layers));
}

/** The result of steps, or why the analysis does not apply (what it threw); the steps run beside it go on. */
export function* orSkippedSteps<R>(steps: Generator<number, R, Matrix>): Generator<number, R | {skipped: string}, Matrix> {
  try {
    return yield* steps;
  } catch (error) {
    return {skipped: (error as Error).message};
  }
}

function at(layers: readonly Matrix[], index: number): Matrix {
  const layer = layers[index];
  if (!layer) throw new Error(`layer ${index} does not exist (the input has layers 0..${layers.length - 1})`);
  return layer;
}

/** Layers in memory as a source. */
function memoryLayers(layers: readonly Matrix[]): LayerSource {
  return {count: layers.length, layer: async (index) => at(layers, index)};
}

/**
 * `steps` run on the rows `rows` of each layer they are handed (row k is the layer's row rows[k]):
 * analyses of different rows of one store then share each read of a layer.
 */
export function* onRows<R>(steps: Generator<number, R, Matrix>, rows: readonly number[]): Generator<number, R, Matrix> {
  for (let next = steps.next(); ; next = steps.next(selectRows(yield next.value, rows))) if (next.done) return next.value;
}

/** The results of a tree of records and arrays of steps: each steps' result in its place; other values stay as they are. */
export type StepResults<T> = T extends LayerSteps<infer R> ? R : T extends object ? {[K in keyof T]: StepResults<T[K]>} : T;

const isSteps = (value: unknown): value is LayerSteps<unknown> => typeof (value as {next?: unknown} | null)?.next === "function";

/**
 * Runs every analysis of a tree of steps (records and arrays of them, as results are shaped)
 * together on one source: see streamLayers. Returns the tree with each steps' result in its place.
 */
export async function streamAll<T>(tree: T, source: LayerSource): Promise<StepResults<T>> {
  const leaves: LayerSteps<unknown>[] = [];
  const collect = (node: unknown): void => {
    if (isSteps(node)) leaves.push(node);
    else if (node && typeof node === "object") Object.values(node).forEach(collect);
  };
  collect(tree);
  const results = await streamLayers(leaves, source);
  let next = 0;
  const rebuild = (node: unknown): unknown => {
    if (isSteps(node)) return results[next++];
    if (Array.isArray(node)) return node.map(rebuild);
    if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, rebuild(value)]));
    return node;
  };
  return rebuild(tree) as StepResults<T>;
}

/**
 * Runs several analyses' steps together on one source: the lowest layer any of them waits for is
 * read, handed to every one waiting for it, and let go before the next is read. Steps that ask
 * for layers in increasing order (every analysis here does) read each layer once between them;
 * results come back in the order of `steps`.
 */
async function streamLayers(steps: LayerSteps<unknown>[], source: LayerSource): Promise<unknown[]> {
  const pending = await Promise.all(steps.map((s) => s.next()));
  for (;;) {
    const waiting = pending.flatMap((p) => (p.done ? [] : [p.value as number]));
    if (waiting.length === 0) return pending.map((p) => p.value);
    const index = Math.min(...waiting);
    const layer = await source.layer(index);
    for (let s = 0; s < steps.length; s++) {
      // A step may ask for the same layer again; it gets it without a second read.
      while (!pending[s].done && pending[s].value === index) pending[s] = await steps[s].next(layer);
    }
  }
}
