/**
 * The logit lens (nostalgebraist 2020; Wendler et al., ACL 2024) as graph surgery: every hidden
 * state of a decoder, read at the last position, goes through the model's own final norm and output
 * head, so layer i gives next-token logits `lens_logits.<i>` [batch, 1, vocab].
 *
 * The norm and head are not re-implemented: the nodes between the final norm's input and the graph
 * output `logits` (RMSNorm or LayerNorm as exported under `<prefix>/norm/`, the `lm_head` MatMul, a
 * quantised head's quantisers, an fp16 graph's output Cast) are copied once per layer with the
 * layer's state in place of the norm's input, sharing the original weights. Hidden state i < L is
 * the residual stream entering layer i (surgery.ts), so it passes the copied norm and head; hidden
 * state L is already the final norm's output, so it passes the head only and equals the model's own
 * logits. The state is read at position -1 (a Gather before the norm, which acts per position), so
 * prompts are run unpadded, one batch of equal lengths at a time.
 * Everything else (the full-sequence lm_head, the key/value presents) is pruned away.
 */
import {create, fromBinary, toBinary} from "@bufbuild/protobuf";
import {existsSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {basename, dirname, join} from "node:path";
import * as ort from "onnxruntime-node";
import {
  AttributeProtoSchema, AttributeProto_AttributeType, ModelProtoSchema, NodeProtoSchema, TensorProtoSchema, TensorProto_DataLocation,
  TensorProto_DataType, TypeProtoSchema, TypeProto_TensorSchema, ValueInfoProtoSchema, type GraphProto, type NodeProto
} from "onnx-buf";
import {type Check, sha256File} from "../store/checksum.js";
import {checkDevice, type Device} from "./device.js";
import {ModelError} from "./errors.js";
import {inlineNoCacheBranch} from "./merged.js";
import {ORT_VERSION} from "./optimize.js";
import {sessionOptions, tokenFeeds} from "./session.js";
import {
  cachedGraph, claimNames, describeFeeds, findLayerTaps, GraphIndex, graphInputs, nodeReads, pruneToOutputs, removeStaleEntries,
  type GraphFeeds, type LayerTaps, type SurgeryOptions
} from "./surgery.js";

/** Bump when the lens graph or its cache entry changes, so cached lens models are rebuilt. */
export const LENS_VERSION = 1;

/** The graph output that carries layer `i`'s next-token logits at the last position: [batch, 1, vocab], float32. */
const lensOutputName = (i: number): string => `lens_logits.${i}`;

/** The decoder output the lens copies the path to. */
const LOGITS = "logits";
const LAST_POSITION = "/babelscope/lens/last_position";

export interface LensGraph {
  bytes: Uint8Array;
  taps: LayerTaps;
  feeds: GraphFeeds;
  externalData: boolean;
}

/**
 * The nodes on every path from `from` to `to`, in graph order: those that read `from` (directly or
 * through earlier such nodes) and that `to` depends on.
 */
function pathNodes(graph: GraphProto, from: string, to: string): NodeProto[] {
  const reached = new Set([from]);
  const forward = new Set<NodeProto>();
  // Graph order need not be topological (see pruneToOutputs): repeat until nothing is added.
  for (let changed = true; changed; ) {
    changed = false;
    for (const node of graph.node) {
      if (forward.has(node) || !nodeReads(node).some((t) => reached.has(t))) continue;
      forward.add(node), (changed = true);
      for (const t of node.output) if (t) reached.add(t);
    }
  }
  const producer = new Map(graph.node.flatMap((node) => node.output.map((t) => [t, node] as const)));
  const needed = new Set<NodeProto>();
  for (const pending = [to]; pending.length; ) {
    const node = producer.get(pending.pop()!);
    if (!node || needed.has(node) || !forward.has(node)) continue;
    needed.add(node);
    pending.push(...nodeReads(node));
  }
  return graph.node.filter((node) => needed.has(node));
}

/**
 * Copies `nodes` with input tensor `from` replaced by `input` and every tensor they compute renamed
 * under `scope`; returns the copies and the name `to` got.
 */
function copyPath(nodes: NodeProto[], from: string, input: string, to: string, scope: string): {nodes: NodeProto[]; output: string} {
  const renamed = new Map([[from, input]]);
  for (const node of nodes) for (const t of node.output) if (t) renamed.set(t, `${scope}/${t}`);
  const copies = nodes.map((node) => create(NodeProtoSchema, {
    ...node,
    name: `${scope}/${node.name}`,
    input: node.input.map((t) => renamed.get(t) ?? t),
    output: node.output.map((t) => renamed.get(t) ?? t)
  }));
  return {nodes: copies, output: renamed.get(to)!};
}

/** Decodes a decoder's ONNX model, adds the lens outputs (and only them), encodes it again. Throws ModelError. */
export function exposeLens(onnx: Uint8Array, options: SurgeryOptions = {}): LensGraph {
  const source = options.source ?? "ONNX model";
  const fail = (what: string): never => {
    throw new ModelError("unsupported", source, `no logit lens: ${what}`);
  };
  let model;
  try {
    model = fromBinary(ModelProtoSchema, onnx);
  } catch (e) {
    throw new ModelError("unsupported", source, `not a readable ONNX model (${(e as Error).message})`);
  }
  const graph = model.graph ?? fail("ONNX model has no graph");
  inlineNoCacheBranch(graph, source);
  const taps = findLayerTaps(graph, options);
  if (taps.kind !== "decoder") fail(`an ${taps.kind} has no output head`);
  if (!graph.output.some((o) => o.name === LOGITS)) fail(`the graph has no "${LOGITS}" output (outputs: ${graph.output.map((o) => o.name).join(", ")})`);
  const last = taps.tensors[taps.numLayers];
  const normNode = graph.node.find((node) => node.output.includes(last));
  const at = normNode?.name.lastIndexOf("/norm/") ?? -1;
  if (!normNode || at < 0) fail(`the last hidden state ${last} is not computed in a /norm/ scope`);
  const normInput = new GraphIndex(graph).scopeInput(normNode!.name.slice(0, at + "/norm/".length));
  const feeds = {...describeFeeds(graphInputs(graph), source), batchDependent: graph.node.some((n) => n.opType === "DynamicQuantizeLinear")};

  const throughNorm = pathNodes(graph, normInput, LOGITS);
  const headOnly = pathNodes(graph, last, LOGITS);
  if (!throughNorm.length || !headOnly.length) fail(`"${LOGITS}" does not depend on the final norm`);
  const outputs = taps.tensors.map((_, i) => lensOutputName(i));
  claimNames(graph, [LAST_POSITION, ...outputs], source);

  const index = create(TensorProtoSchema, {dataType: TensorProto_DataType.INT64, dims: [1n], int64Data: [-1n]});
  const attribute = (name: string, fields: object) => create(AttributeProtoSchema, {name, ...fields});
  graph.node.push(create(NodeProtoSchema, {name: LAST_POSITION, opType: "Constant", output: [LAST_POSITION], attribute: [attribute("value", {type: AttributeProto_AttributeType.TENSOR, t: index})]}));
  const added: NodeProto[] = [];
  taps.tensors.forEach((tap, i) => {
    const scope = `/babelscope/lens.${i}`;
    const state = `${scope}/last_state`;
    // [batch, seq, hidden] -> [batch, 1, hidden]: the last position, in the tap's own type.
    added.push(create(NodeProtoSchema, {name: state, opType: "Gather", input: [tap, LAST_POSITION], output: [state], attribute: [attribute("axis", {type: AttributeProto_AttributeType.INT, i: 1n})]}));
    const path = i < taps.numLayers ? copyPath(throughNorm, normInput, state, LOGITS, scope) : copyPath(headOnly, last, state, LOGITS, scope);
    added.push(...path.nodes);
    const to = attribute("to", {type: AttributeProto_AttributeType.INT, i: BigInt(TensorProto_DataType.FLOAT)});
    added.push(create(NodeProtoSchema, {name: `${scope}/cast`, opType: "Cast", input: [path.output], output: [outputs[i]], attribute: [to]}));
  });
  graph.node.push(...added);
  const floatType = create(TypeProtoSchema, {value: {case: "tensorType", value: create(TypeProto_TensorSchema, {elemType: TensorProto_DataType.FLOAT})}});
  graph.output = outputs.map((name) => create(ValueInfoProtoSchema, {name, type: floatType}));
  pruneToOutputs(graph);
  const externalData = graph.initializer.some((t) => t.dataLocation === TensorProto_DataLocation.EXTERNAL);
  return {bytes: toBinary(ModelProtoSchema, model), taps, feeds, externalData};
}

// ---------------------------------------------------------------------------------------- cache

export interface LensModelFile {
  /** The lens ONNX file, next to the original (so external data files still resolve). */
  path: string;
  taps: LayerTaps;
  feeds: GraphFeeds;
  reused: boolean;
}

/** Whether a file name is the ONNX file of a lens cache entry of this version and onnxruntime (what `babelscope verify` checks). */
export function isCurrentLensEntry(name: string): boolean {
  const match = /\.lens-v(\d+)-[0-9a-f]{16}-ort(.+)\.onnx$/.exec(name);
  return match !== null && Number(match[1]) === LENS_VERSION && match[2] === ORT_VERSION;
}

/**
 * The lens graph of `onnxPath`, built once and cached next to it as
 * `<name>.lens-v<LENS_VERSION>-<sha256 prefix>-ort<version>.onnx` with a `.json` sidecar, in the
 * format and with the checks of the surgered models' cache (surgery.ts `surgeredModelPath`): a
 * damaged entry is removed and rebuilt, entries of other versions are removed.
 */
export async function lensModelPath(onnxPath: string, options: SurgeryOptions & {check?: Check} = {}): Promise<LensModelFile> {
  const source = options.source ?? onnxPath;
  if (!existsSync(onnxPath)) throw new ModelError("not-found", source, `no ONNX file at ${onnxPath}`);
  const sha256 = options.sha256 ?? (await sha256File(onnxPath));
  const version = `v${LENS_VERSION}-${sha256.slice(0, 16)}-ort${ORT_VERSION}`;
  const path = join(dirname(onnxPath), `${basename(onnxPath, ".onnx")}.lens-${version}.onnx`);
  await removeStaleEntries(onnxPath, "lens", version);
  const {taps, feeds, reused} = await cachedGraph(onnxPath, path, sha256, "lens model", options, async () => exposeLens(await readFile(onnxPath), {...options, source}));
  return {path, taps, feeds, reused};
}

// -------------------------------------------------------------------------------------- session

/** Per layer (0..L), the next-token logits at the last position of one prompt. */
export type LensLogits = Float32Array[];

/** An onnxruntime session over a lens graph. */
export class LensModel {
  private constructor(private readonly session: ort.InferenceSession, private readonly feeds: GraphFeeds, readonly numLayers: number, readonly path: string) {}

  static async load(onnxPath: string, options: SurgeryOptions & {threads?: number; device?: Device} = {}): Promise<LensModel> {
    const {threads, device = "cpu"} = options;
    await checkDevice(device);
    const lens = await lensModelPath(onnxPath, options);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(lens.path, sessionOptions(threads, device));
    } catch (e) {
      throw new ModelError("unsupported", lens.path, `onnxruntime cannot load the lens graph: ${String((e as Error).message ?? e).split("\n")[0]}`);
    }
    return new LensModel(session, lens.feeds, lens.taps.numLayers, lens.path);
  }

  /** Every layer's logits at the last token of `ids` (one unpadded prompt, special tokens included). */
  async logits(ids: readonly number[]): Promise<LensLogits> {
    if (ids.length === 0) throw new Error("LensModel.logits: an empty prompt has no last position");
    const tokens = {inputIds: BigInt64Array.from(ids, BigInt), attentionMask: new BigInt64Array(ids.length).fill(1n), batch: 1, seqLen: ids.length};
    const names = Array.from({length: this.numLayers + 1}, (_, i) => lensOutputName(i));
    const results = await this.session.run(tokenFeeds(this.feeds, tokens), names);
    return names.map((name) => results[name].data as Float32Array);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
