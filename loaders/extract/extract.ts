/**
 * Every-layer extraction: tokenise, run the surgered model in right-padded batches, pool each
 * hidden state per item inside the graph. One vector per item per hidden state (0 = embeddings ...
 * L = last layer).
 */
import type {PreTrainedTokenizer} from "@huggingface/transformers";
import {env as defaultEnv, type Env} from "../config.js";
import {placeRows} from "../analyses/matrix.js";
import type {Matrix} from "../vectors.js";
import {type Dtype, resolveModel, type ResolvedModel} from "../models/resolve.js";
import {LayerModel} from "../models/session.js";
import {surgeredModelPath} from "../models/surgery.js";
import type {ModelKind, TextItem} from "../types.js";
import {poolingWeights} from "./pool.js";
import {DEFAULT_SETTINGS, settingsFor, type ExtractSettings} from "./settings.js";
import {batches, loadTokenizer, padId, tokenize, type Tokenized} from "./tokenize.js";

export {DEFAULT_SETTINGS, type ExtractSettings} from "./settings.js";

/** One batch's pooled vectors: `layers[l]` row b is hidden state l of row `rows[b]` of the tokenized list. */
export interface PooledBatch {
  rows: number[];
  layers: Matrix[];
}

/** A model opened for extraction: its tokenizer and its every-layer ONNX session. */
export class Extractor {
  private constructor(
    readonly model: ResolvedModel,
    readonly tokenizer: PreTrainedTokenizer,
    private readonly session: LayerModel,
    readonly settings: ExtractSettings
  ) {}

  /**
   * Opens the model's surgered session; a max length beyond the model's positions is capped (see
   * settingsFor), and a graph whose rows depend on their batch (dynamic int8 quantisation) runs one
   * row at a time. `warn` hears of a damaged surgered-model cache, which is rebuilt.
   */
  static async open(model: ResolvedModel, requested: ExtractSettings, warn?: (line: string) => void): Promise<Extractor> {
    const tokenizer = await loadTokenizer(model.dir);
    const options = {outputs: "pooled", numLayers: numLayersOf(model), source: model.raw, sha256: model.files[model.onnx], warn} as const;
    const surgered = await surgeredModelPath(model.onnxPath, options);
    // One row per run where a row's vectors would depend on its batch: then they depend on its text alone.
    const settings = {...settingsFor(model, requested), ...(surgered.feeds.batchDependent ? {batchSize: 1} : {})};
    const session = await LayerModel.load(surgered, {threads: settings.threads, device: settings.device});
    return new Extractor(model, tokenizer, session, settings);
  }

  get kind(): ModelKind {
    return this.session.kind;
  }
  /** Transformer layers L; there are L + 1 hidden states. */
  get numLayers(): number {
    return this.session.numLayers;
  }
  get hiddenSize(): number {
    return this.session.hiddenSize;
  }

  tokenize(texts: string[]): Tokenized {
    return tokenize(this.tokenizer, texts, this.settings.maxLength);
  }

  /**
   * Pooled vectors of the given rows of `tokenized`, batch by batch as onnxruntime returns them
   * (its own output arrays): the caller copies each batch's rows to where it keeps them. A NaN or
   * infinity is an error naming the layer and `idOf` the row's item: it would otherwise be stored,
   * and every analysis of it would come out null.
   */
  async *run(tokenized: Tokenized, rows: readonly number[], idOf: (row: number) => string = String): AsyncGenerator<PooledBatch> {
    const cols = this.hiddenSize;
    for (const batch of batches(tokenized.ids, rows, this.settings.batchSize, padId(this.tokenizer))) {
      const weights = poolingWeights(batch.lengths, batch.seqLen, this.settings.pooling);
      const out = await this.session.pooled(batch.inputIds, batch.attentionMask, batch.rows.length, batch.seqLen, weights);
      const pooled = {rows: batch.rows, layers: out.layers.map((data) => ({data, rows: batch.rows.length, cols}))};
      const bad = firstNonFinite(pooled);
      if (bad) throw new Error(`model ${this.model.raw} produced ${bad.value} at layer ${bad.layer} for item "${idOf(bad.row)}"`);
      yield pooled;
    }
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

/** The layer count `config.json` declares, when it declares one (surgery checks the graph against it). */
export function numLayersOf(model: ResolvedModel): number | undefined {
  const config = model.config;
  // T5's `num_layers` counts its encoder's blocks (the decoder's are `num_decoder_layers`).
  return config.num_hidden_layers ?? config.n_layers ?? config.num_layers ?? (config as {text_config?: {num_hidden_layers?: number}}).text_config?.num_hidden_layers;
}

/** One zero matrix of `rows` x hidden per hidden state of the extractor's model. */
export function emptyLayers(extractor: Extractor, rows: number): Matrix[] {
  return Array.from({length: extractor.numLayers + 1}, () => ({data: new Float32Array(rows * extractor.hiddenSize), rows, cols: extractor.hiddenSize}));
}

/** The first NaN or infinity of a batch, in layer order: its layer, the row it belongs to and the value. */
function firstNonFinite(batch: PooledBatch): {layer: number; row: number; value: number} | undefined {
  for (const [layer, {data, cols}] of batch.layers.entries()) {
    for (let i = 0; i < data.length; i++) {
      // One comparison per value in the common case: x - x is 0 for finite x, NaN otherwise.
      if (data[i] - data[i] !== 0) return {layer, row: batch.rows[Math.floor(i / cols)], value: data[i]};
    }
  }
  return undefined;
}

/** Copies a batch's vectors to their rows (the batch's rows index `layers`). */
export function placeBatch(layers: Matrix[], batch: PooledBatch): void {
  batch.layers.forEach((m, l) => placeRows(layers[l], batch.rows, m));
}

export interface Extraction {
  numLayers: number;
  hiddenSize: number;
  /** layers[l]: items x hidden, row-major. */
  layers: Float32Array[];
  /** Tokens per item before truncation. */
  tokenCounts: Int32Array;
}

/** Extraction in memory, without a store: for tests and quick looks. */
export async function extractVectors(
  ref: string,
  items: TextItem[],
  opts: Partial<ExtractSettings> & {dtype?: Dtype} = {},
  env: Env = defaultEnv
): Promise<Extraction> {
  const extractor = await Extractor.open(await resolveModel(ref, env, opts.dtype), {...DEFAULT_SETTINGS, ...opts});
  try {
    const tokenized = extractor.tokenize(items.map((item) => item.text));
    const layers = emptyLayers(extractor, items.length);
    for await (const batch of extractor.run(tokenized, items.map((_, i) => i), (row) => items[row].id)) placeBatch(layers, batch);
    return {numLayers: extractor.numLayers, hiddenSize: extractor.hiddenSize, layers: layers.map((m) => m.data), tokenCounts: tokenized.fullLengths};
  } finally {
    await extractor.dispose();
  }
}
