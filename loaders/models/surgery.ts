/**
 * ONNX graph surgery that exposes the hidden state of every layer.
 *
 * Hub exports output only `last_hidden_state` (encoders) or `logits` (decoders). Surgery finds one
 * tensor per hidden state in the Hugging Face `output_hidden_states` convention (index 0 = the
 * embeddings output / the residual stream entering layer 0, index i = output of layer i; for
 * decoders the last entry is after the final norm) and adds a graph output `hidden_states.<i>` for
 * each, plus a pooled output `pooled_states.<i>` = `pooling_weights` [batch, seq] times that hidden
 * state, one weighted sum over tokens per row (a new float input chooses the pooling), so
 * extraction copies [batch, hidden] per layer out of onnxruntime instead of [batch, seq, hidden].
 * For extraction a second graph keeps the pooled outputs only and drops every node they do not need.
 * Taps are found by NODE scopes, which torch/Optimum exports name after the modules
 * (`/encoder/layer.3/output/LayerNorm/Add_1`), not by tensor names (the last one is renamed
 * `last_hidden_state`):
 * - BERT-like (mBERT, XLM-R/RoBERTa, multilingual-e5, LaBSE; optional `/bert` or `/roberta`
 *   prefix): outputs of `/embeddings/LayerNorm/` and `/encoder/layer.N/output/LayerNorm/`;
 * - DistilBERT: outputs of `/embeddings/LayerNorm/` and `/transformer/layer.N/output_layer_norm/`;
 * - decoder-only (Llama, Qwen2, Gemma, SmolLM): the tensor entering `/model/layers.N/input_layernorm/`
 *   (the residual stream; for N = 0 it is after Gemma's embedding scale) and the output of
 *   `/model/norm/`; a merged decoder's no-cache branch is inlined first (merged.ts);
 * - encoders of encoder-decoder models (`encoder_model.onnx`, HF's encoder_hidden_states): the
 *   tensor entering `/layers.N/self_attn_layer_norm/` and the output of `/layer_norm/` (NLLB-200,
 *   M2M100), or entering `/block.N/layer.0/layer_norm/` and the output of `/final_layer_norm/` (mT5).
 * A scope's output is the float tensor produced inside it and used outside it (or a graph output);
 * a scope's input is the float tensor used inside it and produced outside it. Quantised graphs
 * (onnxruntime's `quantize_dynamic`: DynamicQuantizeLinear + MatMulInteger, int8 Gathers restored by
 * DequantizeLinear; its 4-bit MatMulNBits) and float16 graphs keep these scopes: quantiser nodes
 * count with the tensor they encode, not with the scope their name puts them in, and an int8 copy,
 * a scale or a zero point is never a tap. Fused builds
 * (SkipLayerNormalization, as in onnxruntime-genai or ORT-optimised models) hide the residual
 * stream and are refused, as is any graph whose tap count is not num_layers + 1.
 *
 * Pure functions work on bytes; `surgeredModelPath` caches the result next to the original.
 */
import {create, fromBinary, toBinary} from "@bufbuild/protobuf";
import {existsSync} from "node:fs";
import {readdir, readFile, rm, stat} from "node:fs/promises";
import {basename, dirname, join} from "node:path";
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  TensorProto_DataLocation,
  TensorProto_DataType,
  type TensorShapeProto,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type GraphProto,
  type NodeProto,
  type ValueInfoProto
} from "onnx-buf";
import type {ModelKind} from "../types.js";
import {ModelError} from "./errors.js";
import {isOrphanedTemp, writeAtomic} from "../write-atomic.js";
import {type Check, type Checksum, fileProblem, jsonDigest, markVerified, sha256File, warnOnStderr} from "../store/checksum.js";
import {externalDataPath, ORT_VERSION, writeOptimized} from "./optimize.js";
import {inlineNoCacheBranch} from "./merged.js";

/** Bump when surgery output or the cache entry's format changes, so cached surgered models are rebuilt. */
export const SURGERY_VERSION = 5;

/** Name of the graph output that carries hidden state `i`. */
export const tapOutputName = (i: number): string => `hidden_states.${i}`;

/** Name of the graph output that carries hidden state `i` pooled by `POOLING_WEIGHTS`: [batch, 1, hidden]. */
export const pooledOutputName = (i: number): string => `pooled_states.${i}`;

/** The float32 graph input [batch, seq] that surgery adds: each row's weights over its tokens. */
export const POOLING_WEIGHTS = "pooling_weights";

export type Family = "bert" | "distilbert" | "decoder" | "m2m100" | "t5";

/** Where the hidden states are in a graph. */
export interface LayerTaps {
  kind: ModelKind;
  family: Family;
  numLayers: number;
  /** Tensor name of hidden state i, i = 0..numLayers. */
  tensors: string[];
}

/** One graph input, as ONNX value info or onnxruntime's `inputMetadata` describe it. */
export interface InputSpec {
  name: string;
  /** onnxruntime tensor type: `int64`, `float32`, `float16`, ... */
  type: string;
  shape: readonly (number | string)[];
}

/** Past key/value inputs of a decoder export: [batch, kvHeads, past_len, headDim] each. */
export interface PastInputs {
  names: string[];
  kvHeads: number;
  headDim: number;
  type: "float32" | "float16";
}

/** What a session must feed. */
export interface GraphFeeds {
  inputs: string[];
  hasTokenTypeIds: boolean;
  hasPositionIds: boolean;
  past: PastInputs | null;
  /**
   * Whether a row's outputs depend on the other rows of its batch: onnxruntime's dynamic int8
   * quantisation (DynamicQuantizeLinear) picks one scale per tensor per run, over every row and
   * its padding. Extraction runs such graphs one row at a time.
   */
  batchDependent: boolean;
}

/**
 * What a surgered graph returns: `states`, the original outputs plus every hidden state whole and
 * pooled; `pooled`, the pooled hidden states only, with every node they do not need removed (a
 * decoder's lm_head and key/value presents), for extraction.
 */
export type SurgeryOutputs = "states" | "pooled";

export interface SurgeryOptions {
  /** Default `states`. */
  outputs?: SurgeryOutputs;
  /** num_hidden_layers from config.json: when given, the graph must have exactly that many layers. */
  numLayers?: number;
  /** Names the model in error messages (a path or model id). */
  source?: string;
  /** sha256 of the original file when the caller has it already (`resolveModel` hashes every model file), to skip hashing it again. */
  sha256?: string;
  /** Hears of a damaged cache entry, which is removed and rebuilt (default: a line on stderr). */
  warn?: (line: string) => void;
}

export interface SurgeryResult {
  outputs: SurgeryOutputs;
  bytes: Uint8Array;
  taps: LayerTaps;
  feeds: GraphFeeds;
  /** Whether the graph's weights are external data (they stay outside the surgered protobuf too). */
  externalData: boolean;
}

// ----------------------------------------------------------------------------------- tap finding

/** Fused kernels that swallow the residual add or the embeddings, so no tensor holds a layer's output. */
const FUSED_OPS = new Set(["SkipLayerNormalization", "SkipSimplifiedLayerNormalization", "EmbedLayerNormalization"]);

interface FamilyPattern {
  family: Family;
  kind: ModelKind;
  /** Captures (prefix, layer index) from a node name inside a layer's tap scope. */
  layer: RegExp;
  /** Human-readable form of `layer`, for error messages. */
  shown: string;
  /** Tap tensors for a prefix and a layer count; throws TapError when a scope is not as expected. */
  taps: (graph: GraphIndex, prefix: string, numLayers: number) => string[];
}

const PATTERNS: FamilyPattern[] = [
  {
    family: "bert",
    kind: "encoder",
    layer: /^(.*)\/encoder\/layer\.(\d+)\/output\/LayerNorm\//,
    shown: "/encoder/layer.N/output/LayerNorm/",
    taps: (g, p, n) => [g.scopeOutput(`${p}/embeddings/LayerNorm/`), ...range(n).map((i) => g.scopeOutput(`${p}/encoder/layer.${i}/output/LayerNorm/`))]
  },
  {
    family: "distilbert",
    kind: "encoder",
    layer: /^(.*)\/transformer\/layer\.(\d+)\/output_layer_norm\//,
    shown: "/transformer/layer.N/output_layer_norm/",
    taps: (g, p, n) => [g.scopeOutput(`${p}/embeddings/LayerNorm/`), ...range(n).map((i) => g.scopeOutput(`${p}/transformer/layer.${i}/output_layer_norm/`))]
  },
  {
    family: "decoder",
    kind: "decoder",
    layer: /^(.*)\/layers\.(\d+)\/input_layernorm\//,
    shown: "/model/layers.N/input_layernorm/",
    // HF drops the raw output of the last layer: its last hidden state is after the final norm.
    taps: (g, p, n) => [...range(n).map((i) => g.scopeInput(`${p}/layers.${i}/input_layernorm/`)), g.scopeOutput(`${p}/norm/`)]
  },
  // Encoders of encoder-decoder models, as Optimum exports them alone (encoder_model.onnx: scopes
  // relative to the encoder module). Pre-norm, like decoders: hidden state i is the residual stream
  // entering layer i's first norm, and the last one is after the final norm (HF's encoder_hidden_states).
  {
    family: "m2m100",
    kind: "encoder",
    // NLLB-200, M2M100. BART-style post-norm encoders have the same scope names but no final
    // `layer_norm`, so their last tap is not found and they are refused.
    layer: /^(.*)\/layers\.(\d+)\/self_attn_layer_norm\//,
    shown: "/layers.N/self_attn_layer_norm/",
    taps: (g, p, n) => [...range(n).map((i) => g.scopeInput(`${p}/layers.${i}/self_attn_layer_norm/`)), g.scopeOutput(`${p}/layer_norm/`)]
  },
  {
    family: "t5",
    kind: "encoder",
    // T5, mT5, ByT5 (T5Stack: blocks of self-attention `layer.0` and feed-forward `layer.1`).
    layer: /^(.*)\/block\.(\d+)\/layer\.0\/layer_norm\//,
    shown: "/block.N/layer.0/layer_norm/",
    taps: (g, p, n) => [...range(n).map((i) => g.scopeInput(`${p}/block.${i}/layer.0/layer_norm/`)), g.scopeOutput(`${p}/final_layer_norm/`)]
  }
];

const range = (n: number): number[] => Array.from({length: n}, (_, i) => i);

/**
 * Nodes that re-encode a tensor rather than compute a new one: a quantiser (DynamicQuantizeLinear,
 * QuantizeLinear: its outputs, the quantised copy, the scale and the zero point, all stand for its
 * first input) and DequantizeLinear (its output restores the float tensor its first input encodes,
 * as after a quantised Gather). onnxruntime's quantiser names them after the tensor they read
 * (`<tensor>_QuantizeLinear`, `<tensor>_DequantizeLinear`), which puts them in the name scope of
 * the tensor's producer; they belong with the tensor instead, so they are in no scope.
 */
const ENCODERS = new Set(["DynamicQuantizeLinear", "QuantizeLinear", "DequantizeLinear"]);
const isEncoder = (node: NodeProto): boolean => ENCODERS.has(node.opType);

const T = TensorProto_DataType;
/** Element types a hidden state can have. */
const FLOAT_TYPES = new Set<number>([T.FLOAT, T.FLOAT16, T.BFLOAT16, T.DOUBLE]);
/** Element types of ops whose outputs do not follow their inputs', by output index. */
const FIXED_TYPES: Record<string, number[]> = {
  DynamicQuantizeLinear: [T.UINT8, T.FLOAT, T.UINT8],
  MatMulInteger: [T.INT32],
  ConvInteger: [T.INT32],
  Shape: [T.INT64],
  Size: [T.INT64],
  NonZero: [T.INT64],
  ArgMax: [T.INT64],
  ArgMin: [T.INT64],
  ...Object.fromEntries(["Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf"].map((op) => [op, [T.BOOL]]))
};

const ELEMENTWISE = new Set(["Add", "Sub", "Mul", "Div", "Sum", "Mean", "Max", "Min"]);
const attribute = (node: NodeProto, name: string) => node.attribute.find((a) => a.name === name);

/** Producer/consumer lookup over one graph, with each tensor's element type. */
export class GraphIndex {
  private readonly producer = new Map<string, NodeProto>();
  private readonly consumers = new Map<string, NodeProto[]>();
  private readonly outputs: Set<string>;
  private readonly inputs: Set<string>;
  private readonly types = new Map<string, number>();

  constructor(readonly graph: GraphProto) {
    for (const node of graph.node) {
      for (const t of node.output) this.producer.set(t, node);
      for (const t of node.input) if (t) (this.consumers.get(t) ?? this.consumers.set(t, []).get(t)!).push(node);
    }
    this.outputs = new Set(graph.output.map((o) => o.name));
    const initializers = new Set(graph.initializer.map((t) => t.name));
    this.inputs = new Set(graph.input.map((i) => i.name).filter((n) => !initializers.has(n)));
    this.inferTypes();
  }

  /**
   * Element types from the graph's value infos and initializers, and for the rest from each op
   * (quantisers, Casts, integer ops, comparisons; otherwise the data input's). Repeated
   * until nothing changes, as a graph need not list its nodes in order for onnxruntime.
   */
  private inferTypes(): void {
    const {graph, types} = this;
    for (const t of graph.initializer) types.set(t.name, t.dataType);
    for (const v of [...graph.input, ...graph.output, ...graph.valueInfo]) {
      if (v.type?.value.case === "tensorType" && v.type.value.value.elemType) types.set(v.name, v.type.value.value.elemType);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const node of graph.node) {
        node.output.forEach((t, i) => {
          if (!t || types.has(t)) return;
          const type = this.outputType(node, i);
          if (type !== undefined) types.set(t, type), (changed = true);
        });
      }
    }
  }

  private outputType(node: NodeProto, index: number): number | undefined {
    const fixed = FIXED_TYPES[node.opType]?.[index];
    if (fixed !== undefined) return fixed;
    const inputType = (i: number) => this.types.get(node.input[i] ?? "");
    switch (node.opType) {
      case "Cast":
        return Number(attribute(node, "to")?.i ?? T.UNDEFINED) || undefined;
      case "Constant":
        return attribute(node, "value")?.t?.dataType ?? (attribute(node, "value_float") || attribute(node, "value_floats") ? T.FLOAT : attribute(node, "value_int") || attribute(node, "value_ints") ? T.INT64 : undefined);
      case "ConstantOfShape":
        return attribute(node, "value")?.t?.dataType ?? T.FLOAT;
      case "QuantizeLinear":
        return inputType(2) ?? T.UINT8;
      case "DequantizeLinear":
      case "Where":
        return inputType(1);
      case "GatherBlockQuantized":
        // A 4-bit embedding table (com.microsoft): the output has the scales' type, not the packed data's.
        return inputType(2);
      case "MatMulNBits":
        return inputType(0);
      default:
        // Another domain's op may type its outputs otherwise: left unknown, which a tap may be.
        if (node.domain && node.domain !== "ai.onnx") return undefined;
        // Elementwise ops take one type for all inputs; the rest (Gather, Reshape, Slice, ...) follow their data input.
        return ELEMENTWISE.has(node.opType) ? node.input.map((t) => this.types.get(t)).find((type) => type !== undefined) : inputType(0);
    }
  }

  /** A tensor's ONNX element type (TensorProto_DataType), when known. */
  elemType(t: string): number | undefined {
    return this.types.get(t);
  }

  /** Whether a node is computed inside `scope` (quantiser nodes never are). */
  private inside(node: NodeProto, scope: string): boolean {
    return node.name.startsWith(scope) && !isEncoder(node);
  }

  /** Whether tensor `t` is used outside `scope` or returned, through any re-encoding of it. */
  private usedOutside(t: string, scope: string): boolean {
    if (this.outputs.has(t)) return true;
    return (this.consumers.get(t) ?? []).some((c) => (isEncoder(c) ? c.output.some((o) => this.usedOutside(o, scope)) : !this.inside(c, scope)));
  }

  /** The float tensor that `t` stands for: what a quantiser read, or what a DequantizeLinear restores from it. */
  private floatView(t: string): string {
    const p = this.producer.get(t);
    if (p && isEncoder(p) && p.opType !== "DequantizeLinear") return this.floatView(p.input[0]);
    const restored = (this.consumers.get(t) ?? []).find((c) => c.opType === "DequantizeLinear" && c.input[0] === t);
    return this.isFloat(t) || !restored ? t : restored.output[0];
  }

  /** The node that computes the value `t` holds, looking through re-encodings. */
  private source(t: string): NodeProto | undefined {
    const p = this.producer.get(t);
    return p && isEncoder(p) ? this.source(p.input[0]) : p;
  }

  /** Known to be a float tensor, or of unknown type (a graph need not say). */
  private isFloat(t: string): boolean {
    const type = this.types.get(t);
    return type === undefined || FLOAT_TYPES.has(type);
  }

  /** The one float tensor computed inside `scope` and used outside it (or returned by the graph). */
  scopeOutput(scope: string): string {
    const found = new Set<string>();
    for (const node of this.graph.node) {
      if (!this.inside(node, scope) || node.opType === "Constant") continue;
      for (const t of node.output) if (t && this.usedOutside(t, scope)) found.add(this.floatView(t));
    }
    return this.one(found, scope, "output");
  }

  /** The one float tensor (or graph input) used inside `scope` and computed outside it. */
  scopeInput(scope: string): string {
    const found = new Set<string>();
    for (const node of this.graph.node) {
      if (!this.inside(node, scope)) continue;
      for (const t of node.input) {
        if (!t) continue;
        const source = this.source(t);
        const computedOutside = source !== undefined && source.opType !== "Constant" && !this.inside(source, scope);
        if (computedOutside || this.inputs.has(t)) found.add(this.floatView(t));
      }
    }
    return this.one(found, scope, "input");
  }

  /** The one float tensor found; a TapError naming them all (with their types when not float) otherwise. */
  private one(found: Set<string>, scope: string, what: "input" | "output"): string {
    // A scope's integer outputs (shapes, masks) are never hidden states.
    const floats = [...found].filter((t) => this.isFloat(t));
    if (floats.length === 1) return floats[0];
    const named = [...found].map((t) => (this.isFloat(t) ? t : `${t}: ${T[this.types.get(t)!].toLowerCase()}`));
    const list = found.size ? ` (${named.join(", ")})` : "";
    throw new TapError(`scope ${scope} has ${found.size} ${what} tensors${list}, expected 1 float tensor`);
  }
}

/** Thrown inside tap finding; turned into a ModelError naming the model. */
class TapError extends Error {}

/** Counts of op types, most frequent first, as `Op×n` (for error messages). */
function opCounts(nodes: NodeProto[], keep: (op: string) => boolean): string {
  const counts = new Map<string, number>();
  for (const n of nodes) if (keep(n.opType)) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op}×${n}`).join(", ");
}

/**
 * Per pattern, the scope prefixes and layer numbers its `layer` expression (groups: prefix, layer)
 * finds in the node names; patterns that find no layer are left out.
 */
export function layerScopes<P extends {layer: RegExp}>(nodes: readonly NodeProto[], patterns: readonly P[]): {pattern: P; prefixes: Set<string>; layers: Set<number>}[] {
  return patterns.map((pattern) => {
    const prefixes = new Set<string>();
    const layers = new Set<number>();
    for (const node of nodes) {
      const m = pattern.layer.exec(node.name);
      if (m) prefixes.add(m[1]), layers.add(Number(m[2]));
    }
    return {pattern, prefixes, layers};
  }).filter((m) => m.layers.size > 0);
}

/**
 * Finds the tensor of every hidden state (HF convention, numLayers + 1 taps).
 * Throws a one-line ModelError ("unsupported") naming what was found when the graph is not one of
 * the known layouts or its layer count disagrees with `numLayers`.
 */
export function findLayerTaps(graph: GraphProto, options: SurgeryOptions = {}): LayerTaps {
  const source = options.source ?? "ONNX model";
  const expected = options.numLayers === undefined ? "" : `; expected ${options.numLayers + 1} taps (num_layers ${options.numLayers} + 1)`;
  const fail = (what: string): never => {
    throw new ModelError("unsupported", source, `cannot expose every layer: ${what}${expected}`);
  };

  const fused = opCounts(graph.node, (op) => FUSED_OPS.has(op));
  if (fused) fail(`fused ops ${fused} hide the layer outputs (export with torch/Optimum without ORT fusion)`);

  const matches = layerScopes(graph.node, PATTERNS);

  if (matches.length === 0) {
    const shown = PATTERNS.map((p) => p.shown).join(", ");
    const ops = opCounts(graph.node, (op) => /Norm|Attention/.test(op)) || "none";
    fail(`no node scope matches ${shown} among ${graph.node.length} nodes (norm/attention ops: ${ops})`);
  }
  if (matches.length > 1) fail(`node scopes match several layouts (${matches.map((m) => m.pattern.family).join(", ")})`);
  const {pattern, prefixes, layers} = matches[0];
  if (prefixes.size > 1) fail(`${pattern.shown} appears under several prefixes (${[...prefixes].join(", ")})`);

  const numLayers = Math.max(...layers) + 1;
  const what = `found ${pattern.family} layers ${pattern.shown.replace("N", `0..${numLayers - 1}`)}`;
  if (layers.size !== numLayers) fail(`${what} with gaps (only ${layers.size} distinct indices)`);
  if (options.numLayers !== undefined && numLayers !== options.numLayers) fail(`${what}, i.e. ${numLayers + 1} taps`);

  const prefix = [...prefixes][0];
  try {
    const tensors = pattern.taps(new GraphIndex(graph), prefix, numLayers);
    return {kind: pattern.kind, family: pattern.family, numLayers, tensors};
  } catch (e) {
    if (e instanceof TapError) return fail(`${what}, but ${e.message}`);
    throw e;
  }
}

// -------------------------------------------------------------------------------- graph inputs

const ORT_TYPES: Partial<Record<TensorProto_DataType, string>> = {
  [TensorProto_DataType.FLOAT]: "float32",
  [TensorProto_DataType.FLOAT16]: "float16",
  [TensorProto_DataType.INT64]: "int64",
  [TensorProto_DataType.INT32]: "int32",
  [TensorProto_DataType.BOOL]: "bool"
};

/** The graph's real inputs (initializers listed as inputs by old exports are left out). */
export function graphInputs(graph: GraphProto): InputSpec[] {
  const initializers = new Set(graph.initializer.map((t) => t.name));
  return graph.input.filter((i) => !initializers.has(i.name)).map(inputSpec);
}

function inputSpec(info: ValueInfoProto): InputSpec {
  const tensor = info.type?.value.case === "tensorType" ? info.type.value.value : undefined;
  const type = (tensor && ORT_TYPES[tensor.elemType as TensorProto_DataType]) ?? `onnx-type-${tensor?.elemType ?? "none"}`;
  const shape = (tensor?.shape?.dim ?? []).map((d) =>
    d.value.case === "dimValue" ? Number(d.value.value) : d.value.case === "dimParam" ? d.value.value : "?"
  );
  return {name: info.name, type, shape};
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;
const ID_INPUTS = ["input_ids", "attention_mask", "token_type_ids", "position_ids"];

/**
 * What a session must feed, from the graph inputs. Throws a one-line ModelError for an input it
 * cannot feed (an unknown name, a non-int64 id input, past key/values without fixed heads/dims).
 */
export function describeFeeds(inputs: readonly InputSpec[], source = "ONNX model"): Omit<GraphFeeds, "batchDependent"> {
  const fail = (what: string): never => {
    throw new ModelError("unsupported", source, what);
  };
  const names = inputs.map((i) => i.name);
  for (const required of ["input_ids", "attention_mask"]) if (!names.includes(required)) fail(`graph has no ${required} input (inputs: ${names.join(", ")})`);
  const past = inputs.filter((i) => PAST.test(i.name));
  for (const input of inputs) {
    if (ID_INPUTS.includes(input.name)) {
      if (input.type !== "int64") fail(`input ${input.name} is ${input.type}, expected int64`);
    } else if (!PAST.test(input.name)) {
      fail(`unsupported graph input ${input.name} (${input.type} [${input.shape.join(", ")}]); can feed ${ID_INPUTS.join(", ")}, past_key_values.N.key/value`);
    }
  }
  return {
    inputs: names,
    hasTokenTypeIds: names.includes("token_type_ids"),
    hasPositionIds: names.includes("position_ids"),
    past: past.length ? describePast(past, fail) : null
  };
}

function describePast(past: InputSpec[], fail: (what: string) => never): PastInputs {
  const [first] = past;
  const [, kvHeads, , headDim] = first.shape;
  for (const p of past) {
    const [, h, , d] = p.shape;
    const fixed = p.shape.length === 4 && typeof h === "number" && typeof d === "number";
    if (!fixed) fail(`input ${p.name} has shape [${p.shape.join(", ")}], expected [batch, kv_heads, past_len, head_dim] with fixed kv_heads and head_dim`);
    if (h !== kvHeads || d !== headDim || p.type !== first.type) fail(`input ${p.name} is ${p.type} [${p.shape.join(", ")}], unlike ${first.name} ${first.type} [${first.shape.join(", ")}]`);
  }
  if (first.type !== "float32" && first.type !== "float16") fail(`past key/values are ${first.type}, expected float32 or float16`);
  return {names: past.map((p) => p.name), kvHeads: kvHeads as number, headDim: headDim as number, type: first.type as PastInputs["type"]};
}

// ------------------------------------------------------------------------------------- surgery

const POOLING_SHAPE = "/babelscope/pooling_shape";
const POOLING_ROWS = "/babelscope/pooling_rows";

const floatType = (shape?: TensorShapeProto) =>
  create(TypeProtoSchema, {value: {case: "tensorType", value: create(TypeProto_TensorSchema, {elemType: TensorProto_DataType.FLOAT, shape})}});

/** Fails when the graph already uses a name that surgery adds. */
export function claimNames(graph: GraphProto, names: string[], source: string): void {
  const taken = new Set([...graph.node.flatMap((n) => n.output), ...graph.input.map((i) => i.name), ...graph.initializer.map((t) => t.name)]);
  for (const name of names) if (taken.has(name)) throw new ModelError("unsupported", source, `graph already has a tensor named ${name}`);
}

/**
 * Adds a float32 tensor `hidden_states.<i>` per tap, and makes it a graph output when `asOutputs`.
 * A Cast to float (rather than Identity) makes every tap float32, also in fp16 models; on a float32
 * tensor that is not a graph output onnxruntime removes it.
 */
function addTaps(graph: GraphProto, taps: LayerTaps, asOutputs: boolean): void {
  taps.tensors.forEach((tensor, i) => {
    const name = tapOutputName(i);
    const to = create(AttributeProtoSchema, {name: "to", type: AttributeProto_AttributeType.INT, i: BigInt(TensorProto_DataType.FLOAT)});
    graph.node.push(create(NodeProtoSchema, {name: `/babelscope/${name}`, opType: "Cast", input: [tensor], output: [name], attribute: [to]}));
    if (asOutputs) graph.output.push(create(ValueInfoProtoSchema, {name, type: floatType()}));
  });
}

/**
 * Adds the input `pooling_weights` [batch, seq] (float32, shaped like input_ids) and per tap an
 * output `pooled_states.<i>` = weights reshaped to [batch, 1, seq] MatMul `hidden_states.<i>`
 * [batch, seq, hidden]: [batch, 1, hidden], summed in float32 after the tap's Cast.
 */
function addPooledOutputs(graph: GraphProto, taps: LayerTaps): void {
  const ids = graph.input.find((i) => i.name === "input_ids")!;
  const idsShape = ids.type?.value.case === "tensorType" ? ids.type.value.value.shape : undefined;
  graph.input.push(create(ValueInfoProtoSchema, {name: POOLING_WEIGHTS, type: floatType(idsShape)}));
  // Reshape to [0, 1, -1]: 0 keeps the batch dimension, -1 takes the sequence. A Constant node
  // rather than an initializer, which old IR versions would also require among the inputs.
  const shape = create(TensorProtoSchema, {dataType: TensorProto_DataType.INT64, dims: [3n], int64Data: [0n, 1n, -1n]});
  const value = create(AttributeProtoSchema, {name: "value", type: AttributeProto_AttributeType.TENSOR, t: shape});
  graph.node.push(create(NodeProtoSchema, {name: POOLING_SHAPE, opType: "Constant", output: [POOLING_SHAPE], attribute: [value]}));
  graph.node.push(create(NodeProtoSchema, {name: POOLING_ROWS, opType: "Reshape", input: [POOLING_WEIGHTS, POOLING_SHAPE], output: [POOLING_ROWS]}));
  taps.tensors.forEach((_, i) => {
    const name = pooledOutputName(i);
    graph.node.push(create(NodeProtoSchema, {name: `/babelscope/${name}`, opType: "MatMul", input: [POOLING_ROWS, tapOutputName(i)], output: [name]}));
    graph.output.push(create(ValueInfoProtoSchema, {name, type: floatType()}));
  });
}

/** Tensor names that the nodes of a node's subgraphs (If, Loop, Scan bodies) read, at any depth. */
function subgraphInputs(node: NodeProto): string[] {
  const graphs = node.attribute.flatMap((a) => [...(a.g ? [a.g] : []), ...a.graphs]);
  return graphs.flatMap((g) => g.node.flatMap((n) => [...n.input, ...subgraphInputs(n)]));
}

/** Tensor names a node reads, its subgraphs' reads of the enclosing scopes included (no empty optional inputs). */
export const nodeReads = (node: NodeProto): string[] => [...node.input, ...subgraphInputs(node)].filter(Boolean);

/**
 * Removes the nodes that no graph output depends on, and the initializers and value infos only they
 * used. onnxruntime runs every node whether or not its output is fetched, so without this a
 * decoder's lm_head (for small models the largest matrix product) would run for nothing. Follows
 * producers rather than the node order: onnxconverter-common's float16 graphs list the Casts of
 * their float32 inputs after the nodes that read them, which onnxruntime accepts.
 */
export function pruneToOutputs(graph: GraphProto): void {
  const producer = new Map(graph.node.flatMap((node) => node.output.map((t) => [t, node] as const)));
  const needed = new Set(graph.output.map((o) => o.name));
  const kept = new Set<NodeProto>();
  for (const pending = [...needed]; pending.length; ) {
    const node = producer.get(pending.pop()!);
    if (!node || kept.has(node)) continue;
    kept.add(node);
    for (const t of nodeReads(node)) if (!needed.has(t)) needed.add(t), pending.push(t);
  }
  graph.node = graph.node.filter((node) => kept.has(node));
  // Old exports also list initializers among the inputs; a dropped one must go from both.
  const initializers = new Set(graph.initializer.map((t) => t.name));
  graph.input = graph.input.filter((i) => !initializers.has(i.name) || needed.has(i.name));
  graph.initializer = graph.initializer.filter((t) => needed.has(t.name));
  graph.valueInfo = graph.valueInfo.filter((v) => needed.has(v.name));
}

/** Decodes an ONNX model, exposes every layer, encodes it again. Throws ModelError. */
export function exposeLayers(onnx: Uint8Array, options: SurgeryOptions = {}): SurgeryResult {
  const source = options.source ?? "ONNX model";
  let model;
  try {
    model = fromBinary(ModelProtoSchema, onnx);
  } catch (e) {
    throw new ModelError("unsupported", source, `not a readable ONNX model (${(e as Error).message})`);
  }
  if (!model.graph) throw new ModelError("unsupported", source, "ONNX model has no graph");
  inlineNoCacheBranch(model.graph, source);
  const taps = findLayerTaps(model.graph, options);
  const feeds = {...describeFeeds(graphInputs(model.graph), source), batchDependent: model.graph.node.some((n) => n.opType === "DynamicQuantizeLinear")};
  const added = [POOLING_WEIGHTS, POOLING_SHAPE, POOLING_ROWS, ...taps.tensors.flatMap((_, i) => [tapOutputName(i), pooledOutputName(i)])];
  claimNames(model.graph, added, source);
  const outputs = options.outputs ?? "states";
  addTaps(model.graph, taps, outputs === "states");
  addPooledOutputs(model.graph, taps);
  if (outputs === "pooled") {
    const pooled = new Set(taps.tensors.map((_, i) => pooledOutputName(i)));
    model.graph.output = model.graph.output.filter((o) => pooled.has(o.name));
    pruneToOutputs(model.graph);
  }
  const externalData = model.graph.initializer.some((t) => t.dataLocation === TensorProto_DataLocation.EXTERNAL);
  return {outputs, bytes: toBinary(ModelProtoSchema, model), taps, feeds, externalData};
}

// ---------------------------------------------------------------------------------------- cache

/** A surgered model on disk and what was found in it. */
export interface SurgeredModel {
  outputs: SurgeryOutputs;
  /** The surgered ONNX file, next to the original (so external data files still resolve). */
  path: string;
  /** sha256 of the original ONNX file. */
  sha256: string;
  taps: LayerTaps;
  feeds: GraphFeeds;
  /** True when an earlier run's file was reused. */
  reused: boolean;
}

/** A cache entry's `.json` sidecar: what surgery found, and the checksum of the surgered ONNX file it describes. */
interface Sidecar {
  /** The original file's name and sha256. */
  source: string;
  sha256: string;
  taps: LayerTaps;
  feeds: GraphFeeds;
  onnx: Checksum;
  /** The surgered graph's external data file (`<stem>.onnx_data`), when the original's weights are external data. */
  data?: Checksum;
  /** sha256 of the JSON of the fields above, as written. */
  self: string;
}

/** The sidecar of a cached surgered model `<stem>.onnx`: `<stem>.json`. */
export const sidecarPath = (onnxPath: string): string => onnxPath.replace(/\.onnx$/, ".json");

/**
 * A cache entry checked as `check` says (the ONNX file's size always, its content once per process
 * or now): its sidecar, why it cannot be used, or undefined when there is no entry (no sidecar:
 * never written, or killed before its sidecar was).
 */
export async function checkSurgeredEntry(path: string, check: Check): Promise<Sidecar | string | undefined> {
  const text = await readFile(sidecarPath(path), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let sidecar: Sidecar;
  try {
    sidecar = JSON.parse(text);
  } catch {
    return "sidecar: not valid JSON";
  }
  const {self, ...fields} = sidecar ?? {};
  if (typeof self !== "string" || self !== jsonDigest(fields) || !fields.onnx) return "sidecar: checksum mismatch";
  const data = fields.data && (await fileProblem(externalDataPath(path), fields.data, check));
  return (await fileProblem(path, fields.onnx, check)) ?? (data ? `data file: ${data}` : sidecar);
}

/**
 * The surgered model for `onnxPath`, built once and cached next to it as
 * `<name>.<layers|pooled>-v<SURGERY_VERSION>-<sha256 prefix of the original>-ort<onnxruntime
 * version>.onnx` (for `states` and `pooled` outputs), as onnxruntime optimised it (see
 * `writeOptimized`), with a `.json` sidecar holding the taps, the feeds and the ONNX file's size
 * and sha256. The sidecar is written (atomically) after the ONNX file, so its presence marks a
 * complete entry. An entry is checked before it is used (the ONNX file's size every time, its
 * content once per process); one that fails is removed and rebuilt, with one line to `warn`.
 * Copies of earlier versions, of another onnxruntime or of a changed original are removed.
 * A model whose weights are external data (`model.onnx` + `model.onnx_data`) is surgered without
 * reading them: only the protobuf is decoded, and the surgered graph, written next to the original,
 * still finds the original's data file (which `resolveModel` hashes) by its relative location. The
 * optimised copy gets a data file of its own, `<stem>.onnx_data`, recorded in the sidecar.
 * A merged decoder (`decoder_model_merged.onnx`) is surgered as its no-cache branch (see merged.ts).
 */
export async function surgeredModelPath(onnxPath: string, options: SurgeryOptions = {}): Promise<SurgeredModel> {
  const source = options.source ?? onnxPath;
  if (!existsSync(onnxPath)) throw new ModelError("not-found", source, `no ONNX file at ${onnxPath}`);
  const sha256 = options.sha256 ?? (await sha256File(onnxPath));
  const outputs = options.outputs ?? "states";
  const kind = outputs === "states" ? "layers" : "pooled";
  const version = `v${SURGERY_VERSION}-${sha256.slice(0, 16)}-ort${ORT_VERSION}`;
  const path = join(dirname(onnxPath), `${basename(onnxPath, ".onnx")}.${kind}-${version}.onnx`);
  await removeStaleEntries(onnxPath, "layers|pooled", version);
  const {taps, feeds, reused} = await cachedGraph(onnxPath, path, sha256, "surgered model", options, async () => exposeLayers(await readFile(onnxPath), {...options, outputs, source}));
  if (reused && options.numLayers !== undefined && taps.numLayers !== options.numLayers) {
    throw new ModelError("unsupported", source, `cannot expose every layer: found ${taps.numLayers + 1} taps; expected ${options.numLayers + 1} taps (num_layers ${options.numLayers} + 1)`);
  }
  return {outputs, path, sha256, taps, feeds, reused};
}

/** A graph built from an original by surgery, before it is written. */
export interface BuiltGraph<T> {
  bytes: Uint8Array;
  taps: T;
  feeds: GraphFeeds;
  externalData: boolean;
}

/**
 * The cache entry `path` (a surgered, lens or neuron graph of `onnxPath`, whose sha256 is `sha256`):
 * reused when `checkSurgeredEntry` passes it; otherwise (a damaged one removed, with one line to
 * `warn` naming it as `what`) built, written as onnxruntime optimised it (see `writeOptimized`),
 * then its sidecar (atomically, last, so its presence marks a complete entry).
 */
export async function cachedGraph<T>(
  onnxPath: string, path: string, sha256: string, what: string, options: {check?: Check; warn?: (line: string) => void},
  build: () => BuiltGraph<T> | Promise<BuiltGraph<T>>
): Promise<{taps: T; feeds: GraphFeeds; reused: boolean}> {
  const cached = await checkSurgeredEntry(path, options.check ?? "once");
  if (typeof cached === "object") return {taps: cached.taps as unknown as T, feeds: cached.feeds, reused: true};
  if (cached !== undefined) {
    await Promise.all([path, sidecarPath(path), externalDataPath(path)].map((file) => rm(file, {force: true})));
    (options.warn ?? warnOnStderr)(`warning: cached ${what} ${path} was damaged (${cached}); removed and rebuilt`);
  }
  const {bytes, taps, feeds, externalData} = await build();
  // Unoptimised (onnxruntime could not save it), a graph with external data reads the original's data file.
  const ownData = (await writeOptimized(path, bytes, {externalData})) && externalData && existsSync(externalDataPath(path));
  // onnxruntime wrote the files, so their checksums are read back from disk.
  const onnx = await fileChecksum(path);
  const data = ownData ? {data: await fileChecksum(externalDataPath(path))} : {};
  const fields = {source: basename(onnxPath), sha256, taps: taps as unknown as LayerTaps, feeds, onnx, ...data};
  await writeAtomic(sidecarPath(path), JSON.stringify({...fields, self: jsonDigest(fields)}, null, 1));
  await markVerified(path, onnx);
  if (data.data) await markVerified(externalDataPath(path), data.data);
  return {taps, feeds, reused: false};
}

const fileChecksum = async (path: string): Promise<Checksum> => ({size: (await stat(path)).size, sha256: await sha256File(path)});

/** Whether a file name is the ONNX file of a cache entry of this surgery version and onnxruntime (what `babelscope verify` checks). */
export function isCurrentEntry(name: string): boolean {
  const match = /\.(?:layers|pooled)-v(\d+)-[0-9a-f]{16}-ort(.+)\.onnx$/.exec(name);
  return match !== null && Number(match[1]) === SURGERY_VERSION && match[2] === ORT_VERSION;
}

/**
 * Removes the cached copies of `onnxPath` of the `kinds` (a regex alternation: `layers|pooled`,
 * `lens`) that are not of `version`: ones of an earlier version, of another onnxruntime or of the original before it changed, and the
 * temp files of a run killed while writing one. Each is as large as the model.
 * Best effort: a copy that cannot be removed only costs disk.
 */
export async function removeStaleEntries(onnxPath: string, kinds: string, version: string): Promise<void> {
  const dir = dirname(onnxPath);
  const base = basename(onnxPath, ".onnx");
  // An entry is `.<kind>-<version>.<onnx|onnx_data|json>` after the base name; anything else of that kind is a temp file.
  const ofKind = new RegExp(`^\\.(?:${kinds})-`);
  const entryVersion = new RegExp(`^\\.(?:${kinds})-(v\\d+-[0-9a-f]{16}(?:-ort[\\w.+-]+)?)\\.(?:onnx|onnx_data|json)$`);
  const stale = (name: string) => {
    const rest = name.startsWith(base) ? name.slice(base.length) : "";
    if (!ofKind.test(rest)) return false;
    const entry = entryVersion.exec(rest)?.[1];
    return entry === undefined ? isOrphanedTemp(name) : entry !== version;
  };
  const names = (await readdir(dir).catch(() => [])).filter(stale);
  await Promise.all(names.map((name) => rm(join(dir, name), {force: true}).catch(() => {})));
}
