/**
 * ONNX graph surgery for MLP neurons: taps the activation of every layer's MLP and adds a mask
 * input that silences neurons, for language-specific neurons (Tang et al., ACL 2024).
 *
 * The tapped tensor is what LAPE reads and silences: in a gated MLP (Llama, Qwen2, Gemma) the
 * activation function's output act_fn(gate_proj(x)), the factor that multiplies up_proj(x); in a
 * BERT-like encoder the GELU output of `intermediate`. It is found by node scopes, as surgery.ts
 * finds the hidden states:
 * - gated decoders: the other input of the Mul (inside `/model/layers.N/mlp/`) that reads the output
 *   of `/model/layers.N/mlp/up_proj/`;
 * - BERT-like: the output of `/encoder/layer.N/intermediate/`; DistilBERT: the input of
 *   `/transformer/layer.N/ffn/lin2/` (or `/transformer/layer.N/lin2/`).
 * Each tap A_N is replaced, for every node that read it, by A_N * neuron_mask[N] (a float32 input
 * [layers, intermediate]; all ones leaves the model as it was, a 0 silences that neuron).
 *
 * Two graphs, pruned to what they return (as the pooled graph of surgery.ts):
 * - `activity`: per layer `neuron_active.<N>` [batch, 1, intermediate] = the number of the row's
 *   tokens (token weights 1; pads 0) where the unmasked activation is > 0, counted in float32 (exact
 *   up to 2^24 tokens);
 * - `loss` (decoders with `logits`): `token_logprob` [batch, seq, 1] = log softmax(logits) at
 *   `neuron_labels` [batch, seq, 1], the next token's log-probability, under the mask.
 *
 * `neuronModelPath` caches each next to the original, like `surgeredModelPath`.
 */
import {create, fromBinary, toBinary} from "@bufbuild/protobuf";
import {existsSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {basename, dirname, join} from "node:path";
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  TensorProto_DataLocation,
  TensorProto_DataType,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type GraphProto,
  type NodeProto
} from "onnx-buf";
import {sha256File} from "../store/checksum.js";
import {ModelError} from "./errors.js";
import {inlineNoCacheBranch} from "./merged.js";
import {ORT_VERSION} from "./optimize.js";
import {cachedGraph, describeFeeds, GraphIndex, graphInputs, layerScopes, pruneToOutputs, removeStaleEntries, type GraphFeeds} from "./surgery.js";

/** Bump when the neuron graphs or their cache entries change, so cached copies are rebuilt. */
const NEURON_SURGERY_VERSION = 1;

/** The float32 input [layers, intermediate] that multiplies every tapped activation. */
export const NEURON_MASK = "neuron_mask";
/** The float32 input [batch, seq]: which tokens the activity counts (1 real token, 0 pad). */
export const TOKEN_WEIGHTS = "neuron_token_weights";
/** The int64 input [batch, seq, 1]: the token whose log-probability `token_logprob` returns at each position. */
export const NEURON_LABELS = "neuron_labels";
/** The output [batch, seq, 1]: log-probability of the label token at each position. */
export const TOKEN_LOGPROB = "token_logprob";
/** The output of layer `i`'s activity: [batch, 1, intermediate] counts of tokens with activation > 0. */
export const activeOutputName = (i: number): string => `neuron_active.${i}`;

export type NeuronGraph = "activity" | "loss";

/** Where the MLP activations are. */
export interface NeuronTaps {
  family: "gated" | "bert" | "distilbert";
  numLayers: number;
  /** Tensor name of layer i's activation. */
  tensors: string[];
  /** Whether the graph returns `logits` (the loss graph needs them). */
  hasLogits: boolean;
}

const T = TensorProto_DataType;
const FLOATS = new Set<number>([T.FLOAT, T.FLOAT16, T.BFLOAT16, T.DOUBLE]);

interface Layout {
  family: NeuronTaps["family"];
  /** Captures (prefix, layer index) from a node name inside the MLP of a layer. */
  layer: RegExp;
  tap: (graph: GraphIndex, nodes: readonly NodeProto[], prefix: string, i: number) => string;
}

const LAYOUTS: Layout[] = [
  {family: "gated", layer: /^(.*)\/layers\.(\d+)\/mlp\/up_proj\//, tap: (g, nodes, p, i) => gatedActivation(g, nodes, `${p}/layers.${i}/mlp/`)},
  {family: "bert", layer: /^(.*)\/encoder\/layer\.(\d+)\/intermediate\//, tap: (g, _, p, i) => g.scopeOutput(`${p}/encoder/layer.${i}/intermediate/`)},
  {
    family: "distilbert",
    // HF's DistilBERT nests lin2 in `ffn`; some exports name it at the layer's top.
    layer: /^(.*)\/transformer\/layer\.(\d+)\/(?:ffn\/)?lin2\//,
    tap: (g, nodes, p, i) => {
      const nested = `${p}/transformer/layer.${i}/ffn/lin2/`;
      return g.scopeInput(nodes.some((n) => n.name.startsWith(nested)) ? nested : `${p}/transformer/layer.${i}/lin2/`);
    }
  }
];

/** In a gated MLP scope: the other factor of the Mul that reads up_proj's output, i.e. act_fn(gate_proj(x)). */
function gatedActivation(graph: GraphIndex, nodes: readonly NodeProto[], scope: string): string {
  const up = graph.scopeOutput(`${scope}up_proj/`);
  const gate = nodes.filter((n) => n.opType === "Mul" && n.name.startsWith(scope) && n.input.includes(up));
  if (gate.length !== 1) throw new Error(`${scope} has ${gate.length} Mul nodes reading up_proj's output ${up}, expected 1 (act_fn(gate_proj(x)) * up_proj(x))`);
  const other = gate[0].input.filter((t) => t !== up);
  if (other.length !== 1) throw new Error(`${scope}: the Mul reading up_proj's output squares it`);
  return other[0];
}

/** The MLP activation of every layer; throws a one-line ModelError ("unsupported") for a graph whose MLPs are not found. */
function findNeuronTaps(graph: GraphProto, source = "ONNX model"): NeuronTaps {
  const fail = (what: string): never => {
    throw new ModelError("unsupported", source, `cannot tap the MLP neurons: ${what}`);
  };
  const found = layerScopes(graph.node, LAYOUTS);
  if (found.length !== 1) {
    fail(found.length ? `node scopes match several MLP layouts (${found.map((f) => f.pattern.family).join(", ")})` : "no node scope matches /layers.N/mlp/up_proj/, /encoder/layer.N/intermediate/ or /transformer/layer.N/(ffn/)lin2/");
  }
  const [{pattern: layout, prefixes, layers}] = found;
  if (prefixes.size > 1) fail(`MLPs under several prefixes (${[...prefixes].join(", ")})`);
  const numLayers = Math.max(...layers) + 1;
  if (layers.size !== numLayers) fail(`${layout.family} MLPs with gaps (${layers.size} distinct indices of 0..${numLayers - 1})`);
  const index = new GraphIndex(graph);
  const [prefix] = prefixes;
  let tensors: string[];
  try {
    tensors = Array.from({length: numLayers}, (_, i) => layout.tap(index, graph.node, prefix, i));
  } catch (e) {
    return fail((e as Error).message);
  }
  const notFloat = tensors.find((t) => !FLOATS.has(index.elemType(t) ?? T.FLOAT));
  if (notFloat) fail(`activation ${notFloat} is not a float tensor`);
  return {family: layout.family, numLayers, tensors, hasLogits: graph.output.some((o) => o.name === "logits")};
}

const floatInput = (name: string, dims: (string | number)[], elemType = T.FLOAT) =>
  create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: "tensorType",
        value: create(TypeProto_TensorSchema, {
          elemType,
          shape: {dim: dims.map((d) => ({value: typeof d === "number" ? {case: "dimValue" as const, value: BigInt(d)} : {case: "dimParam" as const, value: d}}))}
        })
      }
    })
  });

const intAttribute = (name: string, i: number) => create(AttributeProtoSchema, {name, type: AttributeProto_AttributeType.INT, i: BigInt(i)});

/** Adds a node named after its output. */
function addNode(graph: GraphProto, opType: string, input: string[], output: string, attribute: ReturnType<typeof intAttribute>[] = []): string {
  graph.node.push(create(NodeProtoSchema, {name: output, opType, input, output: [output], attribute}));
  return output;
}

function addConstant(graph: GraphProto, name: string, dims: bigint[], int64Data: bigint[]): string {
  const value = create(AttributeProtoSchema, {name: "value", type: AttributeProto_AttributeType.TENSOR, t: create(TensorProtoSchema, {dataType: T.INT64, dims, int64Data})});
  graph.node.push(create(NodeProtoSchema, {name, opType: "Constant", output: [name], attribute: [value]}));
  return name;
}

export interface NeuronSurgeryResult {
  bytes: Uint8Array;
  taps: NeuronTaps;
  feeds: GraphFeeds;
  externalData: boolean;
}

/**
 * Decodes an ONNX model, masks every MLP activation and adds the outputs of `graph`
 * (see the module comment); throws a one-line ModelError.
 */
function addNeuronTaps(onnx: Uint8Array, graphKind: NeuronGraph, source = "ONNX model"): NeuronSurgeryResult {
  let model;
  try {
    model = fromBinary(ModelProtoSchema, onnx);
  } catch (e) {
    throw new ModelError("unsupported", source, `not a readable ONNX model (${(e as Error).message})`);
  }
  const graph = model.graph;
  if (!graph) throw new ModelError("unsupported", source, "ONNX model has no graph");
  inlineNoCacheBranch(graph, source);
  const taps = findNeuronTaps(graph, source);
  const feeds = {...describeFeeds(graphInputs(graph), source), batchDependent: graph.node.some((n) => n.opType === "DynamicQuantizeLinear")};
  if (graphKind === "loss" && !taps.hasLogits) throw new ModelError("unsupported", source, "the loss of silenced neurons needs a language-model head: the graph has no logits output");
  const index = new GraphIndex(graph);
  const readers = new Map(taps.tensors.map((t) => [t, graph.node.filter((n) => n.input.includes(t))]));

  graph.input.push(floatInput(NEURON_MASK, [taps.numLayers, "intermediate"]));
  taps.tensors.forEach((tensor, i) => {
    const scope = `/babelscope/neurons/${i}`;
    const row = addNode(graph, "Gather", [NEURON_MASK, addConstant(graph, `${scope}/layer`, [], [BigInt(i)])], `${scope}/mask_row`, [intAttribute("axis", 0)]);
    const type = index.elemType(tensor) ?? T.FLOAT;
    const factor = type === T.FLOAT ? row : addNode(graph, "Cast", [row], `${scope}/mask_row_cast`, [intAttribute("to", type)]);
    const masked = addNode(graph, "Mul", [tensor, factor], `${scope}/masked`);
    for (const reader of readers.get(tensor)!) reader.input.forEach((t, k) => t === tensor && (reader.input[k] = masked));
    if (graph.output.some((o) => o.name === tensor)) throw new ModelError("unsupported", source, `activation ${tensor} is a graph output`);
  });

  if (graphKind === "activity") {
    graph.input.push(floatInput(TOKEN_WEIGHTS, ["batch", "sequence"]));
    const rows = addNode(graph, "Reshape", [TOKEN_WEIGHTS, addConstant(graph, "/babelscope/neurons/rows_shape", [3n], [0n, 1n, -1n])], "/babelscope/neurons/rows");
    graph.output = [];
    taps.tensors.forEach((tensor, i) => {
      const scope = `/babelscope/neurons/${i}`;
      const zero = addNode(graph, "Sub", [tensor, tensor], `${scope}/zero`);
      const positive = addNode(graph, "Greater", [tensor, zero], `${scope}/positive`);
      const ones = addNode(graph, "Cast", [positive], `${scope}/positive_float`, [intAttribute("to", T.FLOAT)]);
      const name = addNode(graph, "MatMul", [rows, ones], activeOutputName(i));
      graph.output.push(floatInput(name, ["batch", 1, "intermediate"]));
    });
  } else {
    graph.input.push(floatInput(NEURON_LABELS, ["batch", "sequence", 1], T.INT64));
    const logits = addNode(graph, "Cast", ["logits"], "/babelscope/neurons/logits_float", [intAttribute("to", T.FLOAT)]);
    const logp = addNode(graph, "LogSoftmax", [logits], "/babelscope/neurons/logp", [intAttribute("axis", -1)]);
    addNode(graph, "GatherElements", [logp, NEURON_LABELS], TOKEN_LOGPROB, [intAttribute("axis", -1)]);
    graph.output = [floatInput(TOKEN_LOGPROB, ["batch", "sequence", 1])];
  }
  pruneToOutputs(graph);
  const externalData = graph.initializer.some((t) => t.dataLocation === TensorProto_DataLocation.EXTERNAL);
  return {bytes: toBinary(ModelProtoSchema, model), taps, feeds, externalData};
}

/** A neuron graph on disk and what was found in it. */
export interface NeuronModelFile {
  graph: NeuronGraph;
  path: string;
  taps: NeuronTaps;
  feeds: GraphFeeds;
  reused: boolean;
}

/** Whether a file name is the ONNX file of a neuron cache entry of this version and onnxruntime (what `babelscope verify` checks). */
export function isCurrentNeuronEntry(name: string): boolean {
  const match = /\.neurons-(?:activity|loss)-v(\d+)-[0-9a-f]{16}-ort(.+)\.onnx$/.exec(name);
  return match !== null && Number(match[1]) === NEURON_SURGERY_VERSION && match[2] === ORT_VERSION;
}

/**
 * The neuron graph of `onnxPath`, built once and cached next to it as
 * `<name>.neurons-<graph>-v<NEURON_SURGERY_VERSION>-<sha256 prefix>-ort<version>.onnx` with a
 * checksummed `.json` sidecar, written and checked as `surgeredModelPath` does its entries (a
 * damaged entry is removed and rebuilt, with one line to `warn`).
 */
export async function neuronModelPath(
  onnxPath: string, graphKind: NeuronGraph, options: {source?: string; sha256?: string; warn?: (line: string) => void} = {}
): Promise<NeuronModelFile> {
  const source = options.source ?? onnxPath;
  if (!existsSync(onnxPath)) throw new ModelError("not-found", source, `no ONNX file at ${onnxPath}`);
  const sha256 = options.sha256 ?? (await sha256File(onnxPath));
  const version = `v${NEURON_SURGERY_VERSION}-${sha256.slice(0, 16)}-ort${ORT_VERSION}`;
  const path = join(dirname(onnxPath), `${basename(onnxPath, ".onnx")}.neurons-${graphKind}-${version}.onnx`);
  await removeStaleEntries(onnxPath, "neurons-activity|neurons-loss", version);
  const {taps, feeds, reused} = await cachedGraph<NeuronTaps>(onnxPath, path, sha256, "neuron graph", options, async () => addNeuronTaps(await readFile(onnxPath), graphKind, source));
  return {graph: graphKind, path, taps, feeds, reused};
}
