/**
 * Extraction into a hidden-state store, resumable: items are processed in fixed chunks (cut from
 * the items' length order, which tokenisation fixes), each finished chunk is saved atomically, and
 * a rerun after a crash or Ctrl-C redoes only the unfinished chunks. Chunks do not depend on batch
 * size, so a rerun with the same batch size computes the same batches and a resumed store equals an
 * uninterrupted one byte for byte (but for `created`); another batch size changes vectors only by
 * float rounding.
 */
import type {Env} from "../config.js";
import type {Matrix} from "../vectors.js";
import type {ResolvedModel} from "../models/resolve.js";
import type {StoredItem} from "../store/arrow.js";
import {warnOnStderr} from "../store/checksum.js";
import {findStore, type ManifestDraft, PartialStore, storeHash, type Store, type StoreInputs, STORE_FORMAT, WriteQueue} from "../store/store.js";
import type {Dataset} from "../types.js";
import {emptyLayers, Extractor, placeBatch} from "./extract.js";
import {withStoreLock} from "../lock.js";
import {mergeFoundShards} from "../shard/merge.js";
import {lengthOrder, type Tokenized} from "./tokenize.js";
import {EXTRACTION_VERSION, settingsFor, storedDevice, type ExtractSettings} from "./settings.js";
import {extrapolatedSeconds, paddedTokens, type ExtractionEstimate} from "./estimate.js";

export interface StoreProgress {
  /** Items done so far (reused chunks included) and in all. */
  done: number;
  total: number;
  /** Items taken from finished chunks of an earlier run. */
  resumed: number;
  /**
   * The share of this run's work done, 0..1: tokens of the items computed so far over tokens of
   * all items not resumed. Extraction's time follows tokens, and the longest items come first, so
   * an ETA from item counts would start far too long.
   */
  fraction: number;
  /** What the extraction costs: counts from the first update on, the time once the first batch has run. */
  estimate?: ExtractionEstimate;
}

export interface ExtractToStoreResult {
  store: Store;
  /** True when a complete store already existed and nothing was computed. */
  reused: boolean;
  resumedItems: number;
}

/**
 * The chunks of an extraction, by where each starts: `size` items at a time from the items' length
 * order, so batches pad as little as if the dataset were batched in one piece (on udhr-heldout,
 * chunks in dataset order fed onnxruntime 24% more tokens, padding included). A part file records
 * its items' ids, so parts written with another chunk size are recomputed, never misplaced.
 */
export function chunkRows(ids: number[][], size: number): Map<number, number[]> {
  const order = lengthOrder(ids, ids.map((_, i) => i));
  const chunks = new Map<number, number[]>();
  for (let start = 0; start < order.length; start += size) chunks.set(start, order.slice(start, start + size));
  return chunks;
}

export function storeInputs(model: ResolvedModel, dataset: Dataset, settings: ExtractSettings): StoreInputs {
  return {extraction: EXTRACTION_VERSION, modelFiles: model.files, datasetHash: dataset.hash, pooling: settings.pooling, maxLength: settings.maxLength, device: storedDevice(settings)};
}

/**
 * Extracts (or reuses, or resumes) the store of a model on a dataset. A max length beyond the
 * model's positions is capped at them (the manifest records the length used). A store, a part
 * file or a surgered model that fails its checks is never used: it is moved aside or removed and
 * computed again, with one line to `warn`.
 */
export async function extractToStore(
  model: ResolvedModel,
  dataset: Dataset,
  requested: ExtractSettings,
  env: Env,
  onProgress?: (progress: StoreProgress) => void,
  warn: (line: string) => void = warnOnStderr
): Promise<ExtractToStoreResult> {
  const settings = settingsFor(model, requested);
  if (dataset.items.length === 0) throw new Error(`dataset "${dataset.name}" has no items (check --langs)`);
  const hash = storeHash(storeInputs(model, dataset, settings));
  // A second run of the same store waits here, then finds the first run's finished store.
  return withStoreLock(env.storesDir, hash, () => extractLocked(model, dataset, settings, hash, env, onProgress, warn));
}

async function extractLocked(
  model: ResolvedModel, dataset: Dataset, settings: ExtractSettings, hash: string, env: Env,
  onProgress: ((progress: StoreProgress) => void) | undefined, warn: (line: string) => void
): Promise<ExtractToStoreResult> {
  const existing = await findStore(env.storesDir, hash, (what) => warn(`warning: ${what} and recomputed`));
  if (existing) return {store: existing, reused: true, resumedItems: 0};
  // Shards of this store computed elsewhere (extract --shard) are merged rather than computed again.
  const merged = await mergeFoundShards(env.storesDir, hash, warn);
  if (merged) return {store: merged, reused: true, resumedItems: 0};

  const partial = await PartialStore.open(env.storesDir, hash, warn);
  const extractor = await Extractor.open(model, settings, warn);
  try {
    const {items} = dataset;
    const tokenized = extractor.tokenize(items.map((item) => item.text));
    const layers = emptyLayers(extractor, items.length);
    const tokensOf = (rows: readonly number[]) => rows.reduce((sum, row) => sum + tokenized.ids[row].length, 0);
    // The extractor's batch size, not the requested one: a batch-dependent graph runs one row at a time.
    const paddedOf = (rows: readonly number[]) => paddedTokens(rows.map((row) => tokenized.ids[row].length), extractor.settings.batchSize, env.chunkItems);
    const all = items.map((_, i) => i);
    const estimate: ExtractionEstimate = {items: items.length, tokens: tokensOf(all), paddedTokens: paddedOf(all)};
    const progress: StoreProgress = {done: 0, total: items.length, resumed: 0, fraction: 0, estimate};
    let work = estimate.tokens;
    let worked = 0;
    const report = () => {
      progress.fraction = work > 0 ? worked / work : 1;
      onProgress?.(progress);
    };
    // A chunk's file is written while the next chunk runs (one write in flight at a time), from
    // two chunk buffers in turn: onnxruntime's arrays then die young, and no chunk matrix is
    // allocated per chunk (with --trace-gc: 3 full collections per 2,048 MiniLM items, not 6-8).
    const writes = new WriteQueue();
    const buffers = [emptyLayers(extractor, env.chunkItems), emptyLayers(extractor, env.chunkItems)];
    let filled = 0;
    /** Padded tokens of the chunks from `start` on: what remains when a chunk starts. */
    const chunks = chunkRows(tokenized.ids, env.chunkItems);
    const paddedFrom = (start: number) => [...chunks].filter(([s]) => s >= start).reduce((sum, [, rows]) => sum + paddedOf(rows), 0);
    const compute = async (start: number, rows: number[]): Promise<Matrix[]> => {
      const chunk = buffers[filled++ % 2].map((m) => ({data: m.data.subarray(0, rows.length * m.cols), rows: rows.length, cols: m.cols}));
      const inChunk = new Map(rows.map((row, i) => [row, i]));
      const started = performance.now();
      for await (const batch of extractor.run(tokenized, rows, (row) => items[row].id)) {
        if (!estimate.firstBatch) {
          const longest = Math.max(...batch.rows.map((row) => tokenized.ids[row].length));
          estimate.firstBatch = {items: batch.rows.length, paddedTokens: longest * batch.rows.length, seconds: (performance.now() - started) / 1000};
          estimate.seconds = extrapolatedSeconds(estimate.firstBatch, paddedFrom(start));
        }
        placeBatch(chunk, {rows: batch.rows.map((row) => inChunk.get(row)!), layers: batch.layers});
        progress.done += batch.rows.length;
        worked += tokensOf(batch.rows);
        report();
      }
      return chunk;
    };
    report();
    for (const [start, rows] of chunks) {
      const ids = rows.map((row) => items[row].id);
      const saved = await partial.readPart(start, ids);
      const resumed = saved !== undefined && saved.length === layers.length;
      const chunk = resumed ? saved : await compute(start, rows);
      placeBatch(layers, {rows, layers: chunk});
      if (resumed) {
        progress.resumed += rows.length;
        progress.done += rows.length;
        work -= tokensOf(rows);
        report();
      } else if (start + rows.length < items.length) {
        // The last chunk needs no part file: the finished store is written right after it.
        await writes.add(() => partial.writePart(start, ids, chunk));
      }
    }

    await writes.drain();

    const stored = storedItems(items, tokenized, settings);
    const store = await partial.finish(stored, layers, manifestDraft(model, dataset, settings, extractor, hash, env, stored));
    return {store, reused: false, resumedItems: progress.resumed};
  } finally {
    await extractor.dispose();
  }
}

/** The items as a store records them: with their token counts before truncation. */
export function storedItems(items: Dataset["items"], tokenized: Tokenized, settings: ExtractSettings): StoredItem[] {
  return items.map((item, i) => ({...item, tokens: tokenized.fullLengths[i], truncated: tokenized.fullLengths[i] > settings.maxLength}));
}

/**
 * A store's manifest but for its files, from the whole dataset: an extraction writes it, and so
 * does each shard of one (loaders/shard/), so that their merge writes the same manifest.
 */
export function manifestDraft(
  model: ResolvedModel, dataset: Dataset, settings: ExtractSettings, extractor: Pick<Extractor, "kind" | "numLayers" | "hiddenSize">,
  hash: string, env: Pick<Env, "version">, stored: StoredItem[]
): ManifestDraft {
  const languages = [...new Set(dataset.items.map((item) => item.lang))].sort();
  return {
    format: STORE_FORMAT,
    hash,
    tool: {name: "babelscope", version: env.version},
    model: {
      ref: model.raw,
      source: model.source,
      id: model.id,
      ...(model.revision ? {revision: model.revision} : {}),
      dtype: model.dtype,
      files: model.files,
      model_type: model.config.model_type,
      architecture: model.config.architectures?.[0],
      kind: extractor.kind,
      num_layers: extractor.numLayers,
      hidden_size: extractor.hiddenSize
    },
    dataset: {name: dataset.name, hash: dataset.hash, languages},
    settings: {pooling: settings.pooling, max_length: settings.maxLength, device: storedDevice(settings)},
    counts: {
      items: stored.length,
      languages: languages.length,
      hidden_states: extractor.numLayers + 1,
      tokens: stored.reduce((sum, item) => sum + Math.min(item.tokens, settings.maxLength), 0),
      truncated: stored.filter((item) => item.truncated).length
    }
  };
}
