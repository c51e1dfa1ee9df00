/**
 * An onnxruntime-node session over a surgered model that returns every layer's hidden states,
 * whole or pooled inside the graph.
 *
 * It feeds what the graph asks for: token ids and the attention mask, zeros for `token_type_ids`,
 * position ids computed from the mask (right-padded batches), empty past key/values
 * ([batch, kv_heads, 0, head_dim]) for decoder exports with a cache, and the pooling weights. It
 * fetches only the outputs asked for (`hidden_states.<i>` or `pooled_states.<i>`), never logits or
 * presents. onnxruntime still runs the whole graph (it prunes no node for an unfetched output), so
 * extraction opens the `pooled` graph, from which surgery removed every node the pooled states do
 * not need.
 */
import * as ort from "onnxruntime-node";
import type {ModelKind} from "../types.js";
import {checkDevice, type Device} from "./device.js";
import {ModelError} from "./errors.js";
import {POOLING_WEIGHTS, pooledOutputName, surgeredModelPath, tapOutputName, type GraphFeeds, type SurgeredModel, type SurgeryOutputs} from "./surgery.js";

export interface LayerModelOptions {
  /** For an original ONNX file: which surgered graph to open (default `states`; see SurgeryOutputs). */
  outputs?: SurgeryOutputs;
  /** onnxruntime intra-op threads (default: onnxruntime's choice, all cores). */
  threads?: number;
  /** num_hidden_layers from config.json, checked against the graph (only when surgery runs here). */
  numLayers?: number;
  /** onnxruntime's execution provider (default cpu); one the installed onnxruntime-node lacks is refused in one line. */
  device?: Device;
}

/** Hidden states of one batch: `layers[i]` is hidden state i, row-major [batch, seqLen, hidden]. */
export interface LayerOutput {
  layers: Float32Array[];
  batch: number;
  seqLen: number;
  hidden: number;
}

/** Pooled hidden states of one batch: `layers[i]` is hidden state i, row-major [batch, hidden]. */
export interface PooledOutput {
  layers: Float32Array[];
  batch: number;
  hidden: number;
}

/** One batch of token ids (row-major [batch, seqLen], right-padded, mask 1 for real tokens). */
export interface TokenBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  batch: number;
  seqLen: number;
}

/**
 * Position ids for a right-padded batch: per row, the running count of attended tokens minus one,
 * clamped at 0 (so padding repeats the last position and a leading pad gets 0).
 */
export function positionIdsFromMask(attentionMask: BigInt64Array, batch: number, seqLen: number): BigInt64Array {
  const positions = new BigInt64Array(batch * seqLen);
  for (let b = 0; b < batch; b++) {
    let seen = 0n;
    for (let t = 0; t < seqLen; t++) {
      seen += attentionMask[b * seqLen + t];
      positions[b * seqLen + t] = seen > 0n ? seen - 1n : 0n;
    }
  }
  return positions;
}

/** The feeds for one batch, as the graph's inputs require. */
function buildFeeds(feeds: GraphFeeds, batch: TokenBatch, weights: Float32Array): Record<string, ort.Tensor> {
  return {...tokenFeeds(feeds, batch), [POOLING_WEIGHTS]: new ort.Tensor("float32", weights, [batch.batch, batch.seqLen])};
}

/**
 * The model's own inputs for one batch (no pooling weights): what the unmodified graph takes, for
 * the benchmarks' raw onnxruntime baseline.
 */
export function tokenFeeds(feeds: GraphFeeds, {inputIds, attentionMask, batch, seqLen}: TokenBatch): Record<string, ort.Tensor> {
  const dims = [batch, seqLen];
  const out: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor("int64", inputIds, dims),
    attention_mask: new ort.Tensor("int64", attentionMask, dims)
  };
  if (feeds.hasTokenTypeIds) out.token_type_ids = new ort.Tensor("int64", new BigInt64Array(batch * seqLen), dims);
  if (feeds.hasPositionIds) out.position_ids = new ort.Tensor("int64", positionIdsFromMask(attentionMask, batch, seqLen), dims);
  if (feeds.past) {
    const {names, kvHeads, headDim, type} = feeds.past;
    const empty = type === "float16" ? new Uint16Array(0) : new Float32Array(0);
    for (const name of names) out[name] = new ort.Tensor(type, empty, [batch, kvHeads, 0, headDim]);
  }
  return out;
}

/** Session options of every Babelscope session (the benchmark's raw baseline uses them too, to compare like with like). */
export function sessionOptions(threads?: number, device: Device = "cpu"): ort.InferenceSession.SessionOptions {
  return {
    ...(threads === undefined ? {} : {intraOpNumThreads: threads}),
    // onnxruntime runs on the CPU whatever the list says, and puts there what another provider cannot run.
    ...(device === "cpu" ? {} : {executionProviders: [device]}),
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all"
  };
}

export class LayerModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly feeds: GraphFeeds,
    readonly kind: ModelKind,
    readonly numLayers: number,
    readonly hiddenSize: number,
    /** The surgered ONNX file this session runs. */
    readonly path: string,
    /** `pooled` sessions have no whole hidden states: `run` refuses them. */
    readonly outputs: SurgeryOutputs
  ) {}

  /**
   * Opens a model with every layer exposed: either an original ONNX file (surgered and cached
   * here) or the result of `surgeredModelPath`. Runs one token once to learn the hidden size.
   */
  static async load(model: string | SurgeredModel, options: LayerModelOptions = {}): Promise<LayerModel> {
    const {threads, device = "cpu"} = options;
    if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new Error(`LayerModel.load: threads must be a positive integer, got ${threads}`);
    await checkDevice(device);
    const surgered = typeof model === "string" ? await surgeredModelPath(model, {numLayers: options.numLayers, outputs: options.outputs}) : model;
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(surgered.path, sessionOptions(threads, device));
    } catch (e) {
      throw new ModelError("unsupported", surgered.path, `onnxruntime cannot load the model${device === "cpu" ? "" : ` on device ${device}`}: ${firstLine(e)}`);
    }
    const {kind, numLayers} = surgered.taps;
    const probe = await runOutputs(session, surgered.feeds, {inputIds: new BigInt64Array(1), attentionMask: new BigInt64Array([1n]), batch: 1, seqLen: 1}, new Float32Array([1]), [pooledOutputName(0)]);
    return new LayerModel(session, surgered.feeds, kind, numLayers, probe[pooledOutputName(0)].dims.at(-1)!, surgered.path, surgered.outputs);
  }

  /**
   * Hidden states of a batch of token ids (row-major [batch, seqLen], right-padded, mask 1 for
   * real tokens). Returns numLayers + 1 arrays of batch * seqLen * hidden floats.
   */
  async run(inputIds: BigInt64Array, attentionMask: BigInt64Array, batch: number, seqLen: number): Promise<LayerOutput> {
    if (this.outputs === "pooled") throw new Error(`LayerModel.run: ${this.path} returns pooled hidden states only (open the model with outputs "states")`);
    const names = this.outputNames(tapOutputName);
    // Zero weights: the graph needs the input, the pooled outputs are not fetched.
    const results = await runOutputs(this.session, this.feeds, {inputIds, attentionMask, batch, seqLen}, new Float32Array(batch * seqLen), names);
    return {layers: names.map((name) => results[name].data as Float32Array), batch, seqLen, hidden: this.hiddenSize};
  }

  /**
   * Hidden states of a batch pooled inside the graph: row b of hidden state i is
   * sum over t of weights[b * seqLen + t] * state[b, t, :] (see `poolingWeights`). Only
   * numLayers + 1 arrays of batch * hidden floats leave onnxruntime.
   */
  async pooled(inputIds: BigInt64Array, attentionMask: BigInt64Array, batch: number, seqLen: number, weights: Float32Array): Promise<PooledOutput> {
    const names = this.outputNames(pooledOutputName);
    const results = await runOutputs(this.session, this.feeds, {inputIds, attentionMask, batch, seqLen}, weights, names);
    return {layers: names.map((name) => results[name].data as Float32Array), batch, hidden: this.hiddenSize};
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private outputNames(name: (i: number) => string): string[] {
    return Array.from({length: this.numLayers + 1}, (_, i) => name(i));
  }
}

/** Runs one batch and returns the named outputs only. */
async function runOutputs(session: ort.InferenceSession, feeds: GraphFeeds, tokens: TokenBatch, weights: Float32Array, names: string[]): Promise<ort.InferenceSession.ReturnType> {
  const {inputIds, attentionMask, batch, seqLen} = tokens;
  const size = batch * seqLen;
  if (!(Number.isInteger(batch) && Number.isInteger(seqLen) && batch > 0 && seqLen > 0)) throw new Error(`LayerModel.run: batch ${batch} and seqLen ${seqLen} must be positive integers`);
  if (inputIds.length !== size || attentionMask.length !== size) {
    throw new Error(`LayerModel.run: inputIds has ${inputIds.length} and attentionMask ${attentionMask.length} values, expected batch ${batch} × seqLen ${seqLen} = ${size}`);
  }
  if (weights.length !== size) throw new Error(`LayerModel.pooled: weights has ${weights.length} values, expected batch ${batch} × seqLen ${seqLen} = ${size}`);
  return session.run(buildFeeds(feeds, tokens, weights), names);
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}
