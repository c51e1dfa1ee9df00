/**
 * An onnxruntime-node session over a surgered model that returns every layer's hidden states.
 *
 * It feeds what the graph asks for: token ids and the attention mask, zeros for `token_type_ids`,
 * position ids computed from the mask (right-padded batches), and empty past key/values
 * ([batch, kv_heads, 0, head_dim]) for decoder exports with a cache. It fetches only the
 * `hidden_states.<i>` outputs, so onnxruntime skips what only logits or presents need.
 */
import * as ort from "onnxruntime-node";
import type {ModelKind} from "../types.js";
import {ModelError} from "./errors.js";
import {surgeredModelPath, tapOutputName, type GraphFeeds, type SurgeredModel} from "./surgery.js";

export interface LayerModelOptions {
  /** onnxruntime intra-op threads (default: onnxruntime's choice, all cores). */
  threads?: number;
  /** num_hidden_layers from config.json, checked against the graph (only when surgery runs here). */
  numLayers?: number;
}

/** Hidden states of one batch: `layers[i]` is hidden state i, row-major [batch, seqLen, hidden]. */
export interface LayerOutput {
  layers: Float32Array[];
  batch: number;
  seqLen: number;
  hidden: number;
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
function buildFeeds(feeds: GraphFeeds, inputIds: BigInt64Array, attentionMask: BigInt64Array, batch: number, seqLen: number): Record<string, ort.Tensor> {
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
export function sessionOptions(threads?: number): ort.InferenceSession.SessionOptions {
  return {...(threads === undefined ? {} : {intraOpNumThreads: threads}), interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all"};
}

export class LayerModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly feeds: GraphFeeds,
    readonly kind: ModelKind,
    readonly numLayers: number,
    readonly hiddenSize: number,
    /** The surgered ONNX file this session runs. */
    readonly path: string
  ) {}

  /**
   * Opens a model with every layer exposed: either an original ONNX file (surgered and cached
   * here) or the result of `surgeredModelPath`. Runs one token once to learn the hidden size.
   */
  static async load(model: string | SurgeredModel, options: LayerModelOptions = {}): Promise<LayerModel> {
    const {threads} = options;
    if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new Error(`LayerModel.load: threads must be a positive integer, got ${threads}`);
    const surgered = typeof model === "string" ? await surgeredModelPath(model, {numLayers: options.numLayers}) : model;
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(surgered.path, sessionOptions(threads));
    } catch (e) {
      throw new ModelError("unsupported", surgered.path, `onnxruntime cannot load the model: ${firstLine(e)}`);
    }
    const {kind, numLayers} = surgered.taps;
    const probe = await runLayers(session, surgered.feeds, numLayers, new BigInt64Array(1), new BigInt64Array([1n]), 1, 1);
    return new LayerModel(session, surgered.feeds, kind, numLayers, probe.hidden, surgered.path);
  }

  /**
   * Hidden states of a batch of token ids (row-major [batch, seqLen], right-padded, mask 1 for
   * real tokens). Returns numLayers + 1 arrays of batch * seqLen * hidden floats.
   */
  run(inputIds: BigInt64Array, attentionMask: BigInt64Array, batch: number, seqLen: number): Promise<LayerOutput> {
    return runLayers(this.session, this.feeds, this.numLayers, inputIds, attentionMask, batch, seqLen);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

async function runLayers(
  session: ort.InferenceSession,
  feeds: GraphFeeds,
  numLayers: number,
  inputIds: BigInt64Array,
  attentionMask: BigInt64Array,
  batch: number,
  seqLen: number
): Promise<LayerOutput> {
  const size = batch * seqLen;
  if (!(Number.isInteger(batch) && Number.isInteger(seqLen) && batch > 0 && seqLen > 0)) throw new Error(`LayerModel.run: batch ${batch} and seqLen ${seqLen} must be positive integers`);
  if (inputIds.length !== size || attentionMask.length !== size) {
    throw new Error(`LayerModel.run: inputIds has ${inputIds.length} and attentionMask ${attentionMask.length} values, expected batch ${batch} × seqLen ${seqLen} = ${size}`);
  }
  const names = Array.from({length: numLayers + 1}, (_, i) => tapOutputName(i));
  const results = await session.run(buildFeeds(feeds, inputIds, attentionMask, batch, seqLen), names);
  const [, , hidden] = results[names[0]].dims;
  return {layers: names.map((name) => results[name].data as Float32Array), batch, seqLen, hidden};
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}
