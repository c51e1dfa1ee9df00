/**
 * onnxruntime sessions over the neuron graphs of neuron-taps.ts: per batch, how many tokens of each
 * row activate each MLP neuron, and the next-token log-probabilities with some neurons silenced.
 */
import * as ort from "onnxruntime-node";
import type {Device} from "./device.js";
import {checkDevice} from "./device.js";
import {ModelError} from "./errors.js";
import {activeOutputName, NEURON_LABELS, NEURON_MASK, neuronModelPath, TOKEN_LOGPROB, TOKEN_WEIGHTS, type NeuronGraph, type NeuronModelFile} from "./neuron-taps.js";
import {sessionOptions, tokenFeeds, type TokenBatch} from "./session.js";

export interface NeuronModelOptions {
  threads?: number;
  device?: Device;
  /** sha256 of the original ONNX file, when the caller has it. */
  sha256?: string;
  /** Names the model in error messages. */
  source?: string;
  warn?: (line: string) => void;
  /** Neurons per layer; the loss graph needs it (the activity graph learns it from one token). */
  intermediate?: number;
}

export class NeuronModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly file: NeuronModelFile,
    readonly intermediate: number
  ) {}

  /** Opens (surgering and caching on first use) one neuron graph of an original ONNX file. */
  static async load(onnxPath: string, graph: NeuronGraph, options: NeuronModelOptions = {}): Promise<NeuronModel> {
    const {device = "cpu"} = options;
    await checkDevice(device);
    const file = await neuronModelPath(onnxPath, graph, options);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file.path, sessionOptions(options.threads, device));
    } catch (e) {
      throw new ModelError("unsupported", options.source ?? file.path, `onnxruntime cannot load the neuron graph: ${String((e as Error).message ?? e).split("\n")[0]}`);
    }
    const intermediate = graph === "activity" ? await probeIntermediate(session, file) : options.intermediate;
    if (!(Number.isInteger(intermediate) && intermediate! > 0)) throw new Error(`NeuronModel.load: the loss graph needs the intermediate size (got ${intermediate})`);
    return new NeuronModel(session, file, intermediate!);
  }

  get numLayers(): number {
    return this.file.taps.numLayers;
  }

  /** The mask that silences nothing: ones, [layers, intermediate]. */
  ones(): Float32Array {
    return new Float32Array(this.numLayers * this.intermediate).fill(1);
  }

  /**
   * Per layer, per row: how many of the row's real tokens (attention mask 1) have activation > 0,
   * row-major [batch, intermediate]. The activation is read before the mask (default ones).
   */
  async activity(tokens: TokenBatch, mask: Float32Array = this.ones()): Promise<Float32Array[]> {
    if (this.file.graph !== "activity") throw new Error(`NeuronModel.activity: ${this.file.path} is the ${this.file.graph} graph`);
    const weights = Float32Array.from(tokens.attentionMask, Number);
    const names = Array.from({length: this.numLayers}, (_, i) => activeOutputName(i));
    const out = await this.session.run({
      ...tokenFeeds(this.file.feeds, tokens),
      [TOKEN_WEIGHTS]: new ort.Tensor("float32", weights, [tokens.batch, tokens.seqLen]),
      [NEURON_MASK]: this.maskTensor(mask)
    }, names);
    return names.map((name) => out[name].data as Float32Array);
  }

  /**
   * log p(token t + 1 | tokens <= t) at every position t of every row, row-major [batch, seqLen]
   * (the last position of a row, and its pads, predict nothing: read only t + 1 < length), with the
   * neurons where `mask` is 0 silenced.
   */
  async nextTokenLogprobs(tokens: TokenBatch, mask: Float32Array): Promise<Float32Array> {
    if (this.file.graph !== "loss") throw new Error(`NeuronModel.nextTokenLogprobs: ${this.file.path} is the ${this.file.graph} graph`);
    const {batch, seqLen, inputIds} = tokens;
    const labels = new BigInt64Array(batch * seqLen);
    for (let b = 0; b < batch; b++) for (let t = 0; t + 1 < seqLen; t++) labels[b * seqLen + t] = inputIds[b * seqLen + t + 1];
    const out = await this.session.run({
      ...tokenFeeds(this.file.feeds, tokens),
      [NEURON_LABELS]: new ort.Tensor("int64", labels, [batch, seqLen, 1]),
      [NEURON_MASK]: this.maskTensor(mask)
    }, [TOKEN_LOGPROB]);
    return out[TOKEN_LOGPROB].data as Float32Array;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private maskTensor(mask: Float32Array): ort.Tensor {
    if (mask.length !== this.numLayers * this.intermediate) throw new Error(`neuron mask has ${mask.length} values, expected ${this.numLayers} layers × ${this.intermediate} neurons`);
    return new ort.Tensor("float32", mask, [this.numLayers, this.intermediate]);
  }
}

/** Neurons per layer: the activity of one token under a mask of one column (which broadcasts over every neuron). */
async function probeIntermediate(session: ort.InferenceSession, file: NeuronModelFile): Promise<number> {
  const tokens = {inputIds: new BigInt64Array(1), attentionMask: new BigInt64Array([1n]), batch: 1, seqLen: 1};
  const out = await session.run({
    ...tokenFeeds(file.feeds, tokens),
    [TOKEN_WEIGHTS]: new ort.Tensor("float32", new Float32Array([1]), [1, 1]),
    [NEURON_MASK]: new ort.Tensor("float32", new Float32Array(file.taps.numLayers).fill(1), [file.taps.numLayers, 1])
  }, [activeOutputName(0)]);
  return out[activeOutputName(0)].dims.at(-1)!;
}
